// `node dist/bench/s3.js`: the embedded S3 on its own — small-object PUT/GET latency and large
// streamed PUT/GET throughput through @aws-sdk/client-s3, with the server's peak RSS (bodies must
// stream, never sit whole in memory). Separate from `npm run bench` so it can run alone.
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startBenchServer } from './lambkin.js';
import { machine } from './report.js';
import { percentile, round3 } from './stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface S3Figures {
  smallPutP50Ms: number;
  smallGetP50Ms: number;
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
  const puts: number[] = [];
  const gets: number[] = [];
  for (let i = 0; i < options.smallCount; i++) {
    let t = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: 'bench-s3', Key: `small/${i}`, Body: small }));
    puts.push(performance.now() - t);
    t = performance.now();
    await (await s3.send(new GetObjectCommand({ Bucket: 'bench-s3', Key: `small/${i}` }))).Body!.transformToByteArray();
    gets.push(performance.now() - t);
  }
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
    smallPutP50Ms: round3(percentile(puts, 0.5)),
    smallGetP50Ms: round3(percentile(gets, 0.5)),
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
