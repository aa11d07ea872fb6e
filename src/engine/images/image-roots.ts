import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { lstatSync, readlinkSync } from 'node:fs';
import { chmod, lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type { ImageRun } from '../image-run.js';
import { MAX_IMAGE_UNCOMPRESSED_BYTES } from '../limits.js';
import { layerTarStream } from './layer-stream.js';
import { applyWhiteouts, removeMarkers, whiteoutsOf } from './whiteouts.js';
import { fileExists } from '../../store/file-exists.js';

/** The image's layers add up to more than Lambda's 10 GB (uncompressed). */
export class ImageTooLarge extends Error {}

/**
 * Container images unpacked once per digest into `<dataDir>/images/<hex>/`, the read-only root
 * every environment of that image shares. Each layer is listed (to apply its whiteouts to the
 * layers below), then unpacked by the host's GNU tar inside bubblewrap with only the image folder
 * writable — a layer's symbolic links and `..` names cannot write anywhere else on the host, and
 * the sandbox mounts the result `nodev,nosuid`. Hard links, permissions and symlinks are tar's.
 */
export class ImageRoots {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly blobPath: (hex: string) => Promise<string>,
    private readonly bwrap: string,
  ) {}

  /** The unpacked root of the image, unpacking it first if no environment did yet. */
  rootFor(image: ImageRun): Promise<string> {
    const hex = image.digest.replace(/^sha256:/, '');
    let found = this.pending.get(hex);
    if (!found) {
      found = this.unpack(hex, image);
      this.pending.set(hex, found);
      found.catch(() => this.pending.delete(hex));
    }
    return found;
  }

  /** Whether the image is already unpacked (a cold start that pays no unpacking). */
  async isUnpacked(image: ImageRun): Promise<boolean> {
    return fileExists(path.join(this.dir, image.digest.replace(/^sha256:/, '')));
  }

  private async unpack(hex: string, image: ImageRun): Promise<string> {
    const target = path.join(this.dir, hex);
    if (await fileExists(target)) return target;
    const staging = path.join(this.dir, `${hex}.partial-${randomUUID()}`);
    await mkdir(staging, { recursive: true, mode: 0o755 });
    try {
      let total = 0;
      for (const layer of image.layers) {
        const file = await this.blobPath(layer.digest.replace(/^sha256:/, ''));
        const listed = await runTar(this.bwrap, staging, ['-t', '--quoting-style=literal'], await layerTarStream(file), (bytes) => {
          total += bytes;
          if (total > MAX_IMAGE_UNCOMPRESSED_BYTES) throw new ImageTooLarge(`the image is larger than ${MAX_IMAGE_UNCOMPRESSED_BYTES} bytes uncompressed`);
        });
        const whiteouts = whiteoutsOf(listed.split('\n').filter(Boolean));
        await applyWhiteouts(staging, whiteouts);
        await runTar(this.bwrap, staging, ['-x', '--no-same-owner', '-p', '--delay-directory-restore'], await layerTarStream(file));
        await removeMarkers(staging, whiteouts.markers);
      }
      // The root directory itself, whatever the layers said: every user must traverse it. The
      // sandbox mounts /proc, /dev and /tmp over the read-only root, so they must exist in it.
      await chmod(staging, 0o755);
      for (const mountPoint of ['proc', 'dev', 'tmp']) await ensureDirectory(path.join(staging, mountPoint));
      await rename(staging, target).catch(async (err: NodeJS.ErrnoException) => {
        // Another server process unpacked the same image meanwhile.
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
        await rm(staging, { recursive: true, force: true });
      });
      return target;
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
  }
}

/**
 * GNU tar over the stream, inside bubblewrap: the host's system read-only, `root` writable at
 * /image and nothing else. Answers tar's standard output; `onBytes` sees each decompressed chunk.
 */
function runTar(bwrap: string, root: string, tarArgs: string[], input: Readable, onBytes?: (bytes: number) => void): Promise<string> {
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-net', '--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib64']) {
    try {
      const info = lstatSync(top);
      if (info.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
      else if (info.isDirectory()) args.push('--ro-bind', top, top);
    } catch {
      // not on this host
    }
  }
  args.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--bind', root, '/image', '--chdir', '/image', '--', 'tar', ...tarArgs, '-f', '-');
  return new Promise((resolve, reject) => {
    const child = spawn(bwrap, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let failure: Error | null = null;
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        try {
          onBytes?.(chunk.length);
          done(null, chunk);
        } catch (e) {
          done(e as Error);
        }
      },
    });
    const fail = (e: Error) => {
      failure ??= e;
      child.kill('SIGKILL');
    };
    input.on('error', fail);
    counting.on('error', fail);
    child.stdin.on('error', () => undefined);
    input.pipe(counting).pipe(child.stdin);
    child.on('error', fail);
    child.on('close', (code) => {
      if (failure) return reject(failure);
      if (code !== 0) return reject(new Error(`unpacking a layer failed (tar exit ${code}): ${err.trim().split('\n').slice(-3).join('; ')}`));
      resolve(out);
    });
  });
}

/** A directory at `dir` unless the image has one there (a link or file there is replaced). */
async function ensureDirectory(dir: string): Promise<void> {
  try {
    if ((await lstat(dir)).isDirectory()) return;
    await rm(dir, { force: true, recursive: true });
  } catch {
    // absent
  }
  await mkdir(dir, { mode: 0o755 });
}
