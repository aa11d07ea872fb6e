// Checks that imports in src/ run one way, down the floors below, and form no new circles between
// files. Plain Node, no dependencies: `node scripts/check-layers.mjs [srcDir]` (default: ./src next
// to this script). Exits 1 listing every import that runs upward or sideways.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The floors, bottom first. A file may import its own unit and any unit on a floor below; a unit is
// a top-level file or folder of src/, or one folder under `services/` or `triggers/` (written `*`).
// Units on one floor do not import one another: services reach each other through contracts/.
const FLOORS = [
  ['clock.ts', 'logger.ts', 'random-pool.ts', 'version.ts', 'lifecycle.ts', 'keyed-lock.ts'], // basics: time, the platform log, random ids, the version, the lifecycle error, per-key serialization
  ['store'], // durable state: the database and its migrations, the durable queue, blobs on disk
  ['contracts'], // what services, triggers and the edge agree on: requests, responses, AWS errors, cross-service seams
  ['protocols'], // AWS wire protocols over those contracts: rest-json, awsJson, CBOR, query, rest-xml
  ['auth'], // who is calling: SigV4/SigV2 verification, the credential store
  ['engine'], // running code: environments, sandboxes, the Runtime API, platform log lines; no HTTP of clients, no service
  ['observability'], // what the engine reports, kept: function logs and usage records written to the store
  ['services/*'], // the AWS APIs, one folder each (lambda, sqs, sns, s3, events, kinesis, elbv2, apigatewayv2)
  ['async', 'triggers/*'], // what turns events into invocations: the async-invoke queue, ESM pollers, HTTP front doors, schedules
  ['edge', 'console', 'operator'], // the HTTP listener: identify the service, verify the caller, dispatch, serialize errors; the web console's pages and sessions; operator routes (state reset)
  ['config.ts'], // the configuration the server and the command read
  ['server.ts'], // assembles every floor below and listens
  ['cli'], // the lambkin command
];

// Imports allowed although they run upward or sideways, each with its reason, as
// `{ from: 'services/x/a.ts', to: 'async/b.ts', reason: '…' }`. None today; an entry whose import is
// gone is reported, so it can be deleted.
const EXCEPTIONS = [];

// Circles between files allowed for now, each with its reason, as `{ files: [...], reason: '…' }`;
// any other circle fails. None today.
const KNOWN_CYCLES = [];

const srcDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src'));

function tsFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** `a/b/c.ts` (relative to src, forward slashes). */
const rel = (file) => path.relative(srcDir, file).split(path.sep).join('/');

/** The unit a file belongs to, and its floor (-1: on no floor). */
function placeOf(relPath) {
  const parts = relPath.split('/');
  for (let floor = 0; floor < FLOORS.length; floor++) {
    for (const entry of FLOORS[floor]) {
      if (entry.endsWith('/*')) {
        const parent = entry.slice(0, -2);
        if (parts[0] === parent && parts.length > 2) return { unit: `${parent}/${parts[1]}`, floor };
        if (parts[0] === parent && parts.length === 2) return { unit: parent, floor };
      } else if (parts[0] === entry) {
        return { unit: entry, floor };
      }
    }
  }
  return { unit: parts[0], floor: -1 };
}

const IMPORT_FORMS = [
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.\.?\/[^'"]+)['"]/gm, // import … from './x.js', export … from './x.js'
  /^\s*import\s*['"](\.\.?\/[^'"]+)['"]/gm, // import './x.js'
  /\bimport\(\s*['"](\.\.?\/[^'"]+)['"]\s*\)/g, // import('./x.js')
];

/** The src files a file imports (specifiers that do not name a .ts file in src are left out). */
function importsOf(file, known) {
  const text = readFileSync(file, 'utf8');
  const found = new Set();
  for (const form of IMPORT_FORMS) {
    for (const m of text.matchAll(form)) {
      const target = path.resolve(path.dirname(file), m[1].replace(/\.js$/, '.ts'));
      if (known.has(target)) found.add(target);
    }
  }
  return [...found];
}

const files = tsFiles(srcDir);
const known = new Set(files);
const graph = new Map(files.map((f) => [f, importsOf(f, known)]));
const problems = [];
const usedExceptions = new Set();
let importCount = 0;

for (const [file, targets] of graph) {
  const from = placeOf(rel(file));
  if (from.floor < 0) problems.push(`${rel(file)}: '${from.unit}' is on no floor; add it to FLOORS in scripts/check-layers.mjs`);
  for (const target of targets) {
    importCount++;
    const to = placeOf(rel(target));
    if (from.floor < 0 || to.floor < 0 || from.unit === to.unit || to.floor < from.floor) continue;
    const exception = EXCEPTIONS.find((e) => e.from === rel(file) && e.to === rel(target));
    if (exception) {
      usedExceptions.add(exception);
      continue;
    }
    const way = to.floor > from.floor ? `upward: ${to.unit} is on a floor above ${from.unit}` : `sideways: ${from.unit} and ${to.unit} share a floor`;
    problems.push(`${rel(file)} imports ${rel(target)} (${way})`);
  }
}

/** Strongly connected components of more than one file (Tarjan). */
function circles() {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const usedCycles = new Set();
for (const circle of circles()) {
  const listed = KNOWN_CYCLES.find((c) => [...c.files].sort().join(' ') === circle.join(' '));
  if (listed) usedCycles.add(listed);
  else problems.push(`import circle among ${circle.join(', ')} (each imports the others, directly or not)`);
}

for (const e of EXCEPTIONS) if (!usedExceptions.has(e)) console.log(`note: exception no longer needed, delete it: ${e.from} → ${e.to}`);
for (const c of KNOWN_CYCLES) if (!usedCycles.has(c)) console.log(`note: known circle gone, delete it: ${c.files.join(', ')}`);

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} import(s) against the floors of scripts/check-layers.mjs:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  `check-layers: ${files.length} files, ${importCount} imports, ${FLOORS.length} floors: none upward or sideways ` +
    `(${usedExceptions.size} listed exceptions), no circles but the ${usedCycles.size} listed`,
);
