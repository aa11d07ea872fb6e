// `npm run bench`: a real Lambkin on a free port, measured beside this machine's floor.
// Options: --density N (default 200), --cold N (default 10), --soak (also the 10,000-invoke soak).
import { performance } from 'node:perf_hooks';
import { measureAsync } from './async.js';
import { measureCold, measureProvisioned } from './cold.js';
import { measureDensity } from './density.js';
import { measureDoors } from './doors.js';
import { measureDynamodb } from './dynamodb.js';
import { meanFloor, measureFloor, type FloorFigures } from './floor.js';
import { measureKinesis } from './kinesis.js';
import { ECHO } from './functions.js';
import { startBenchServer } from './lambkin.js';
import { machine, machineLine, markdownTable, targetsTable, writeResults, type BenchResults } from './report.js';
import { runSoak } from './soak.js';
import { round3 } from './stats.js';
import { measureSdkStub, startSdkStub } from './sdk-stub.js';
import { measureSqs } from './sqs.js';
import { measureWarm } from './warm.js';
import { intOption } from './options.js';

const CONCURRENCY = 16;
// Node 20 is supported here; the SDK's notice about its own future releases is noise in a report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const densityN = intOption('density', 200);
const coldSamples = intOption('cold', 10);
const withSoak = process.argv.includes('--soak');
const step = (text: string) => process.stderr.write(`bench: ${text}\n`);
const started = performance.now();
const date = new Date().toISOString();
const host = machine();

// The floor first, on a quiet machine, then Lambkin; once more right after the warm phase, whose
// figures are compared with the mean of the two runs (meanFloor).
step('floor (../shared/bench/floor.mjs)…');
const floorBefore = await measureFloor(CONCURRENCY);
if (!floorBefore) step('no ../shared/bench/floor.mjs here: figures will have no floor beside them');

step('SDK against a canned-response stub (the client\'s own cost)…');
// The stub stays up: the warm phase interleaves its sequential invokes with Lambkin's.
const stub = await startSdkStub();
const sdkStub = await measureSdkStub(stub, { sequential: 1000, concurrency: CONCURRENCY, durationMs: 5000 });

const server = await startBenchServer();
try {
  step(`cold start (${coldSamples} new functions)…`);
  const cold = await measureCold(server, coldSamples);
  step('warm invokes (sequential, then 16 concurrent clients for 5 s)…');
  const warm = await measureWarm(server, { sequential: 1000, concurrency: CONCURRENCY, durationMs: 5000, stubUrl: stub.url });
  if (floorBefore) step('floor again, right after the warm phase…');
  const floorAfter = floorBefore ? await measureFloor(CONCURRENCY) : null;
  const floorRuns = [floorBefore, floorAfter].filter((f): f is FloorFigures => f !== null);
  const floor = meanFloor(floorRuns);
  step('HTTP front doors beside direct Invoke (sequential, then 16 keep-alive connections for 3 s each)…');
  const doors = await measureDoors(server, { sequential: 1000, concurrency: CONCURRENCY, durationMs: 3000 }).catch((err: Error) => ({ error: err.message }));
  step('provisioned concurrency…');
  const provisioned = await measureProvisioned(server, 5).catch((err: Error) => ({ error: err.message }));
  let soak;
  if (withSoak) {
    step('soak (10,000 invokes)…');
    await server.deploy('bench-soak', ECHO);
    soak = await runSoak(server.client(CONCURRENCY), 'bench-soak', { invokes: 10_000, concurrency: CONCURRENCY, garbageEvery: 100 });
  }
  step('asynchronous invokes (enqueue-to-start latency, then 16 concurrent clients for 5 s)…');
  const asyncInvoke = await measureAsync(server, { concurrency: CONCURRENCY, durationMs: 5000, samples: 200 }).catch((err: Error) => ({ error: err.message }));
  step('SQS: SDK send+receive+delete, then SQS → function through an event source mapping…');
  const sqs = await measureSqs(server, { messages: 20_000, sdkDurationMs: 5000 }).catch((err: Error) => ({ error: err.message }));
  step('Kinesis: PutRecords → function through an event source mapping, IteratorAge, idle put → handler…');
  const kinesis = await measureKinesis(server, { putDurationMs: 5000, latencySamples: 50, steadyRecordsPerSecond: 5000 }).catch((err: Error) => ({ error: err.message }));
  step('DynamoDB: PutItem and GetItem through the SDK beside a canned stub, item write → stream mapping → handler…');
  const dynamodb = await measureDynamodb(server, { durationMs: 5000, latencySamples: 50 }).catch((err: Error) => ({ error: err.message }));
  step(`density (${densityN} concurrent environments)…`);
  const density = await measureDensity(server, densityN, 2000);

  const results: BenchResults = {
    date,
    machine: host,
    floor,
    floorRuns,
    warm,
    overheadP50Ms: floor ? round3(warm.p50Ms - floor.relay_ms_p50) : null,
    sdkStub,
    overheadOverSdkP50Ms: round3(warm.p50Ms - warm.pairedStubP50Ms),
    cold,
    provisioned,
    density,
    asyncInvoke,
    doors,
    ...(soak ? { soak } : {}),
    sqs,
    kinesis,
    dynamodb,
    durationSeconds: 0,
  };
  results.durationSeconds = Math.round((performance.now() - started) / 1000);
  const file = writeResults(results);
  process.stdout.write(`\n${machineLine(results)}\n\n${markdownTable(results)}\n\n${targetsTable(results)}\n\nwritten: ${file}\n`);
} finally {
  await server.close();
  await stub.close();
}
