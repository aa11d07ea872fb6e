// Runs every compiled test file with Node's test runner (Node 20 has no glob support in --test).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function collect(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (entry.endsWith('.test.js')) out.push(full);
  }
  return out;
}

const filter = process.argv.slice(2);
// Files named *.long.test.js take minutes (the cluster's proof under load): only a filter that
// matches them runs them (.ci/run names the proof in a step of its own), never the whole suite.
const files = collect('dist/test')
  .filter((f) => (filter.length === 0 ? !f.endsWith('.long.test.js') : filter.some((x) => f.includes(x))))
  .sort();
// `node --test` with no files falls back to running everything it finds: a filter that matches
// nothing must say so instead.
if (files.length === 0) {
  console.error(`no compiled test file matches ${filter.map((x) => JSON.stringify(x)).join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
