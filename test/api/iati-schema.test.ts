/** The IATI sample files the import tests use are valid IATI 2.03 activity files (xmllint against the official schema). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The steering repo's shared/ folder sits beside the project (DOMAIN.md names the schema's place there).
const schema = path.resolve(root, '../shared/iati/iati-activities-schema.xsd');
const fixtures = path.join(root, 'test/fixtures/iati');
const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.xml'));

describe('IATI sample files', () => {
  it('exist', () => expect(files.length).toBeGreaterThanOrEqual(3));
  it.runIf(fs.existsSync(schema)).each(files)('%s validates against the IATI 2.03 activity schema', (f) => {
    const out = execFileSync('xmllint', ['--noout', '--schema', schema, path.join(fixtures, f)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });
});
