// `node dist/bench/s3.js`: the embedded S3 on its own — small-object PUT/GET latency and large
// streamed PUT/GET throughput through @aws-sdk/client-s3, with the server's peak RSS (bodies must
// stream, never sit whole in memory). Separate from `npm run bench` so it can run alone.
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutBucketLoggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startBenchServer } from './lambkin.js';
import { machine } from './report.js';
import { percentile, round3 } from './stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface S3Figures {
  smallPutP50Ms: number;
  smallGetP50Ms: number;
  /** The same small PUT/GET on a bucket with server access logging on (records batched to another bucket). */
  smallPutLoggedP50Ms: number;
  smallGetLoggedP50Ms: number;
  largeObjectMb: number;
  largePutMBps: number;
  largeGetMBps: number;
  peakRssMb: number;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export async function measureS3(url: string, options: { smallCount: number; largeMb: number }): Promise<S3Figures> {
  const s3 = new S3Client({
    endpoint: url, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 4 }) },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-s3' }));
  const small = randomBytes(1024);
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-s3-logged' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-s3-logs' }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: 'bench-s3-logged', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'bench-s3-logs', TargetPrefix: 'l/' } } }));
  // The two buckets take turns, so warm-up and the machine's load fall on both alike.
  const times = { plainPut: [] as number[], plainGet: [] as number[], loggedPut: [] as number[], loggedGet: [] as number[] };
  const round = async (bucket: string, i: number, puts: number[], gets: number[]) => {
    let t = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `small/${i}`, Body: small }));
    puts.push(performance.now() - t);
    t = performance.now();
    await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `small/${i}` }))).Body!.transformToByteArray();
    gets.push(performance.now() - t);
  };
  for (let i = 0; i < options.smallCount; i++) {
    await round('bench-s3', i, times.plainPut, times.plainGet);
    await round('bench-s3-logged', i, times.loggedPut, times.loggedGet);
  }
  const p50 = (values: number[]) => round3(percentile(values, 0.5));
  const plain = { put: p50(times.plainPut), get: p50(times.plainGet) };
  const logged = { put: p50(times.loggedPut), get: p50(times.loggedGet) };
  // The large body is generated as it is sent, so the client holds only one chunk at a time too.
  const chunk = randomBytes(1024 * 1024);
  const body = Readable.from((function* () {
    for (let i = 0; i < options.largeMb; i++) yield chunk;
  })());
  let t = performance.now();
  await s3.send(new PutObjectCommand({ Bucket: 'bench-s3', Key: 'large', Body: body, ContentLength: options.largeMb * 1024 * 1024 }));
  const putSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const got = await s3.send(new GetObjectCommand({ Bucket: 'bench-s3', Key: 'large' }));
  for await (const _ of got.Body as AsyncIterable<Buffer>) void _;
  const getSeconds = (performance.now() - t) / 1000;
  s3.destroy();
  return {
    smallPutP50Ms: plain.put,
    smallGetP50Ms: plain.get,
    smallPutLoggedP50Ms: logged.put,
    smallGetLoggedP50Ms: logged.get,
    largeObjectMb: options.largeMb,
    largePutMBps: Math.round(options.largeMb / putSeconds),
    largeGetMBps: Math.round(options.largeMb / getSeconds),
    // Client and server share this process; the peak bounds both together.
    peakRssMb: peakRssMb(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startBenchServer();
  try {
    const figures = await measureS3(server.url, { smallCount: 300, largeMb: 512 });
    const host = machine();
    process.stdout.write(`${host.cpu}, ${host.cores} cores, load ${host.loadAverageAtStart}\n`);
    process.stdout.write(`| S3 figure | value |\n|---|---|\n${Object.entries(figures).map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
  } finally {
    await server.close();
  }
}
