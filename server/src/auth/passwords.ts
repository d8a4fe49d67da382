/** Password hashing with scrypt from node:crypto; the stored form carries its parameters so they can change. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const r = 8;
const p = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, saltB64, keyB64] = parts;
  const expected = Buffer.from(keyB64 ?? '', 'base64url');
  const key = await scrypt(password, Buffer.from(saltB64 ?? '', 'base64url'), expected.length, { N: Number(n), r: Number(rr), p: Number(pp), maxmem: 64 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, used to spend the same time on sign-ins for unknown accounts. */
export const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

/**
 * The stored "hash" of an account that signs in only through single sign-on: not of the scrypt form, so
 * {@link verifyPassword} refuses every password for it (the sign-in route spends the dummy hash's time instead).
 */
export const NO_PASSWORD = 'none:single-sign-on-only';
