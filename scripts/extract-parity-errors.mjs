// Copies the AWS error texts the error-catalogue tests compare with out of the parity recordings
// (../shared/parity/aws-recorded, or the directory given) into test/fixtures/parity/, so the
// catalogue is checked on every checkout. Each entry keeps the recording and scenario it came from.
// Usage: node scripts/extract-parity-errors.mjs [recordings-dir]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const from = path.resolve(process.argv[2] ?? '../shared/parity/aws-recorded');
const to = path.resolve('test/fixtures/parity/lambda-recorded-errors.json');
/** Another service's error as AWS Lambda quotes it, e.g. `… S3 Error Code: NoSuchKey. S3 Error Message: …`. */
const QUOTED = /(S3|SQS) Error Code: /;

const errors = [];
const quoted = [];
const seen = new Set();
const once = (list, entry) => {
  const key = JSON.stringify(entry);
  if (!seen.has(key)) {
    seen.add(key);
    list.push(entry);
  }
};
for (const snapshot of readdirSync(from).filter((f) => f.endsWith('.snapshot.json')).sort()) {
  const scenarios = JSON.parse(readFileSync(path.join(from, snapshot), 'utf8'));
  for (const [scenario, { 'recorded-date': recordedDate, 'recorded-content': content }] of Object.entries(scenarios)) {
    const where = { snapshot, scenario, recordedDate };
    const walk = (node) => {
      if (typeof node === 'string') {
        if (QUOTED.test(node)) once(quoted, { ...where, text: node });
      } else if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (node && typeof node === 'object') {
        const error = node.Error;
        if (error && typeof error === 'object' && typeof error.Code === 'string') once(errors, { ...where, code: error.Code, message: error.Message ?? '' });
        Object.values(node).forEach(walk);
      }
    };
    walk(content);
  }
}
writeFileSync(to, `${JSON.stringify({ errors, quoted }, null, 1)}\n`);
console.log(`${errors.length} errors and ${quoted.length} quoted errors written to ${path.relative(process.cwd(), to)}`);
