// Regenerates src/store/schema.sql and src/store/migrations/landed.json from the compiled store
// (`npm run schema:dump` builds first). Run it after adding a migration, and commit both files.
//
// A landed migration is immutable: if one's text has changed, this refuses and writes nothing.
// `--amend <file>` re-hashes a migration that has not been merged yet (still on your branch).
// After a rebase or merge that conflicts in either generated file, take either side
// (`git checkout --theirs src/store/schema.sql src/store/migrations/landed.json`) and run this again.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const { dumpSchema, SCHEMA_DUMP_PATH } = await import('../dist/src/store/schema-dump.js');
const { compareWithLanded, currentHashes, formatLandedList, LANDED_LIST_PATH, readLandedList } = await import('../dist/src/store/migration-hashes.js');

const amend = new Set();
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--amend' && args[i + 1]) amend.add(withTs(args[++i]));
  else {
    console.error(`usage: npm run schema:dump [-- --amend <migration file> …]  (unknown argument ${JSON.stringify(args[i])})`);
    process.exit(2);
  }
}

let landed;
try {
  landed = readLandedList(repoRoot);
} catch (err) {
  console.error(`${LANDED_LIST_PATH} does not parse (${err.message}); after a conflict, check out either side of it and run this again.`);
  process.exit(1);
}
const current = currentHashes(repoRoot);
const { edited, removed, added } = compareWithLanded(landed, current);
const refused = [...edited, ...removed].filter((name) => !amend.has(name));
if (refused.length > 0) {
  for (const name of refused) console.error(`${name} ${edited.includes(name) ? 'has changed' : 'is gone'} since it landed.`);
  console.error('Landed migrations are never edited: restore them and add a new numbered migration instead.');
  console.error('Only for a migration that is not merged yet: npm run schema:dump -- --amend <file>');
  process.exit(1);
}

const next = { ...landed };
for (const name of [...edited, ...added]) next[name] = current[name];
for (const name of removed) delete next[name];
writeFileSync(path.join(repoRoot, LANDED_LIST_PATH), formatLandedList(next));
writeFileSync(path.join(repoRoot, SCHEMA_DUMP_PATH), await dumpSchema());

for (const name of added) console.log(`landed list: added ${name}`);
for (const name of [...edited, ...removed]) console.log(`landed list: amended ${name}`);
console.log(`wrote ${SCHEMA_DUMP_PATH} and ${LANDED_LIST_PATH} (${Object.keys(next).length} migrations)`);

function withTs(name) {
  const base = path.basename(name);
  return base.endsWith('.ts') ? base : `${base}.ts`;
}
