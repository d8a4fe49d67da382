/** Shared hostile inputs for fuzz.test.ts and limits.test.ts. */

/** Ids that are not ids: wildcards, zero, negatives, empty, huge, SQL and path fragments, NUL, unicode digits. */
export const ODD_IDS = [
  '*', '0', '-1', '', ' ', '9'.repeat(400), '9999999999', '2147483648', '1 OR 1=1', "1' OR '1'='1", '1;DROP TABLE users', '../1', '..%2f1', '%2e%2e', '%00', '1%00',
  '1.5', '1e3', '0x1', '+1', '01', '１', 'null', 'undefined', '[object Object]', '%', '%ZZ', '1/2', '\u202e1',
];

/** A path segment as a client would put it in a URL: printable ASCII as is (so `%00`, `..%2f1`, `%ZZ` arrive raw), the rest encoded. */
export const segment = (id: string): string => (/^[\x21-\x7e]*$/.test(id) ? id : encodeURIComponent(id));
