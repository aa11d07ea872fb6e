import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ecrCall, registryPassword } from '../test/support/ecr.js';
import { basicAuth, buildImage, pushImage, tarArchive } from '../test/support/oci-image.js';
import { bareNodeSpawn } from './cold.js';
import { NO_OP } from './functions.js';
import { ROLE, type BenchServer } from './lambkin.js';
import { median, round3 } from './stats.js';

// The image tests' Go runtime client (sources are not compiled: two levels up from dist/bench).
const RUNTIME_SOURCE = fileURLToPath(new URL('../../test/images/runtime.go', import.meta.url));

export interface ImageColdFigures {
  samples: number;
  /** First invoke of a new function on an image no environment unpacked yet. */
  imageUnpackingMedianMs: number;
  /** First invoke of a new function on an image already unpacked (another function ran it). */
  imageUnpackedMedianMs: number;
  /** First invoke of a new .zip Node function, measured alongside. */
  zipMedianMs: number;
  bareSpawnMedianMs: number;
  /** Each as a multiple of `node -e 0`. */
  ratios: { imageUnpacking: number; imageUnpacked: number; zip: number };
  /** The image: two layers, a static Go runtime client (~7 MB) and a few files. */
  imageBytes: number;
}

async function untilActive(client: LambdaClient, name: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const { State } = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (State === 'Active') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${name} did not become Active`);
}

async function timedFirstInvoke(client: LambdaClient, name: string): Promise<number> {
  const t = performance.now();
  const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  const ms = performance.now() - t;
  if (out.FunctionError) throw new Error(`${name} failed: ${Buffer.from(out.Payload ?? []).toString()}`);
  return ms;
}

/**
 * Container image cold starts beside a .zip function's and `node -e 0`: per sample a new image
 * (a new digest, so its layers are unpacked on the first invoke), a second function on the same
 * image (already unpacked), and a new .zip function. Needs `go` and the bubblewrap sandbox.
 */
export async function measureImageCold(server: BenchServer, samples: number): Promise<ImageColdFigures> {
  const work = mkdtempSync(path.join(tmpdir(), 'lambkin-bench-images-'));
  const client = server.client();
  try {
    execFileSync('go', ['build', '-o', path.join(work, 'runtime'), RUNTIME_SOURCE], { env: { ...process.env, CGO_ENABLED: '0' }, stdio: 'pipe' });
    const runtime = readFileSync(path.join(work, 'runtime'));
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'bench' });
    const auth = basicAuth('AWS', await registryPassword(server.url));
    const base = tarArchive([{ name: 'bin', type: 'dir' }, { name: 'bin/runtime', body: runtime, mode: 0o755 }, { name: 'var', type: 'dir' }, { name: 'var/task', type: 'dir' }]);
    const unpacking: number[] = [];
    const unpacked: number[] = [];
    const zip: number[] = [];
    const bare: number[] = [];
    let imageBytes = 0;
    await bareNodeSpawn();
    for (let i = 0; i < samples; i++) {
      const image = buildImage({ layers: [base, tarArchive([{ name: 'etc', type: 'dir' }, { name: 'etc/greeting', body: `sample ${i}` }])], entrypoint: ['/bin/runtime'], cmd: ['app.handler'], workingDir: '/var/task' });
      imageBytes = image.layers.reduce((sum, l) => sum + l.bytes.length, 0);
      const pushed = await pushImage(server.url, auth, 'bench', `s${i}`, image);
      if (pushed.status !== 201) throw new Error(`push failed: ${pushed.body}`);
      const uri = `127.0.0.1:${server.lambkin.port}/bench:s${i}`;
      for (const name of [`bench-image-${i}`, `bench-image-again-${i}`]) {
        await client.send(new CreateFunctionCommand({ FunctionName: name, PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri } }));
        await untilActive(client, name);
      }
      bare.push(await bareNodeSpawn());
      unpacking.push(await timedFirstInvoke(client, `bench-image-${i}`));
      unpacked.push(await timedFirstInvoke(client, `bench-image-again-${i}`));
      await server.deploy(`bench-image-zip-${i}`, NO_OP);
      zip.push(await timedFirstInvoke(client, `bench-image-zip-${i}`));
    }
    const bareMs = median(bare);
    return {
      samples,
      imageUnpackingMedianMs: round3(median(unpacking)),
      imageUnpackedMedianMs: round3(median(unpacked)),
      zipMedianMs: round3(median(zip)),
      bareSpawnMedianMs: round3(bareMs),
      ratios: { imageUnpacking: round3(median(unpacking) / bareMs), imageUnpacked: round3(median(unpacked) / bareMs), zip: round3(median(zip) / bareMs) },
      imageBytes,
    };
  } finally {
    client.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}
