import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compareWithLanded, currentHashes, LANDED_LIST_PATH, migrationFiles, readLandedList } from '../src/store/migration-hashes.js';
import { migrationProvider } from '../src/store/migrations/index.js';
import { dumpSchema, formatSchema, SCHEMA_DUMP_PATH } from '../src/store/schema-dump.js';

// dist/test/ → the repository root, where the committed files live.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const REGENERATE = 'run `npm run schema:dump` and commit src/store/schema.sql and src/store/migrations/landed.json';

function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? '<end>')}, migrations give ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'no line differs';
}

describe('store schema', () => {
  test('all migrations on a fresh store give the committed schema dump', async () => {
    const file = path.join(repoRoot, SCHEMA_DUMP_PATH);
    assert.ok(existsSync(file), `${SCHEMA_DUMP_PATH} is missing: ${REGENERATE}`);
    const committed = readFileSync(file, 'utf8');
    const actual = await dumpSchema();
    assert.ok(
      committed === actual,
      `${SCHEMA_DUMP_PATH} differs from the schema the migrations produce (${firstDifference(committed, actual)}). ` +
        `If you added a migration, ${REGENERATE}; if you edited a landed one, restore it and add a new migration instead.`,
    );
  });

  test('every landed migration still has the text it landed with', () => {
    const { edited, removed } = compareWithLanded(readLandedList(repoRoot), currentHashes(repoRoot));
    assert.deepEqual(
      { edited, removed },
      { edited: [], removed: [] },
      `landed migrations are immutable: restore ${[...edited, ...removed].join(', ')} and add a new numbered migration ` +
        '(only a migration not merged yet may be re-hashed: `npm run schema:dump -- --amend <file>`)',
    );
  });

  test('every migration file is in the landed list and registered with the provider, in order', async () => {
    const files = migrationFiles(repoRoot);
    const { added } = compareWithLanded(readLandedList(repoRoot), currentHashes(repoRoot));
    assert.deepEqual(added, [], `${added.join(', ')} not in ${LANDED_LIST_PATH}: ${REGENERATE}`);
    const registered = Object.keys(await migrationProvider.getMigrations());
    assert.deepEqual(registered, files.map((name) => name.replace(/\.ts$/, '')), 'src/store/migrations/index.ts must register every migration file, in file order');
  });

  test('the dump is deterministic: whitespace collapsed, one column a line, tables then their indexes by name', () => {
    const rows = [
      { type: 'index', name: 'b_idx', tbl_name: 'b', sql: 'create index "b_idx" on "b" ("x")' },
      { type: 'table', name: 'b', tbl_name: 'b', sql: 'create table "b" (\n  "x" text default \'a,  (b)\',\n  "y" integer, primary key ("x", "y"))' },
      { type: 'table', name: 'a', tbl_name: 'a', sql: 'create table "a" ("id" text primary key)' },
      { type: 'index', name: 'sqlite_autoindex_b_1', tbl_name: 'b', sql: null },
      { type: 'table', name: 'kysely_migration', tbl_name: 'kysely_migration', sql: 'create table "kysely_migration" ("name" text)' },
      { type: 'table', name: 'sqlite_sequence', tbl_name: 'sqlite_sequence', sql: 'CREATE TABLE sqlite_sequence(name,seq)' },
    ];
    const body = formatSchema(rows).split('\n\n').slice(1).join('\n\n');
    assert.equal(
      body,
      [
        'create table "a" (\n  "id" text primary key\n);',
        'create table "b" (\n  "x" text default \'a,  (b)\',\n  "y" integer,\n  primary key ("x", "y")\n);',
        'create index "b_idx" on "b" ("x");',
      ].join('\n\n') + '\n',
    );
    assert.equal(formatSchema([...rows].reverse()), formatSchema(rows));
  });
});
