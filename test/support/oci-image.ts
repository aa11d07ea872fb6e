import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { rawRequest, type RawResponse } from './raw-http.js';

/** One entry of a layer: what `tar` would hold. */
export interface TarEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'link';
  body?: Buffer | string;
  mode?: number;
  /** A symlink's target or a hard link's source. */
  linkname?: string;
}

/** A ustar archive of the entries (enough for layers: files, directories, symlinks, hard links). */
export function tarArchive(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = entry.type === undefined || entry.type === 'file' ? Buffer.from(entry.body ?? '') : Buffer.alloc(0);
    const header = Buffer.alloc(512);
    const name = entry.name;
    let prefix = '';
    let short = name;
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 154);
      prefix = name.slice(0, cut);
      short = name.slice(cut + 1);
    }
    header.write(short, 0, 100);
    const mode = entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644);
    header.write(mode.toString(8).padStart(7, '0') + '\0', 100, 8);
    header.write('0000000\0', 108, 8);
    header.write('0000000\0', 116, 8);
    header.write(body.length.toString(8).padStart(11, '0') + '\0', 124, 12);
    header.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, '0') + '\0', 136, 12);
    header.write('        ', 148, 8);
    header.write({ file: '0', link: '1', symlink: '2', dir: '5' }[entry.type ?? 'file'], 156, 1);
    if (entry.linkname) header.write(entry.linkname, 157, 100);
    header.write('ustar\0', 257, 6);
    header.write('00', 263, 2);
    header.write(prefix, 345, 155);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface Blob {
  digest: string;
  bytes: Buffer;
  mediaType: string;
}

export interface BuiltImage {
  manifest: Buffer;
  manifestDigest: string;
  mediaType: string;
  config: Blob;
  layers: Blob[];
}

export const zstdAvailable = spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;

function compress(tar: Buffer, how: 'gzip' | 'zstd'): Buffer {
  if (how === 'gzip') return gzipSync(tar);
  const out = spawnSync('zstd', ['-q', '-c'], { input: tar, maxBuffer: 1024 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`zstd failed: ${out.stderr.toString()}`);
  return out.stdout;
}

/**
 * A zstd frame that decompresses to `size` zero bytes, made of run-length blocks (4 bytes per
 * 128 KiB): an image layer far larger uncompressed than on disk, without compressing anything.
 */
export function zstdZeros(size: number): Buffer {
  const BLOCK = 128 * 1024;
  const blocks = Math.ceil(size / BLOCK);
  // Magic number, then a frame header: no content size, no checksum, a 2 MiB window.
  const out = Buffer.alloc(6 + 4 * blocks);
  out.writeUInt32LE(0xfd2fb528, 0);
  out[4] = 0x00;
  out[5] = 0x58;
  let left = size;
  for (let i = 0; i < blocks; i++) {
    const n = Math.min(BLOCK, left);
    left -= n;
    // Block header (24 bits, little-endian): last-block flag, type 1 (RLE), size; then the byte.
    const header = (left === 0 ? 1 : 0) | (1 << 1) | (n << 3);
    out.writeUIntLE(header, 6 + 4 * i, 3);
    out[6 + 4 * i + 3] = 0;
  }
  return out;
}

/** An OCI image (or a Docker v2 schema 2 one) from layer tars, with the runtime config given. */
export function buildImage(options: {
  layers: Buffer[];
  compression?: 'gzip' | 'zstd';
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  env?: string[];
  architecture?: string;
  format?: 'oci' | 'docker';
  /** Layers already compressed, after `layers` (their diff ids are not checked by the registry). */
  compressedLayers?: Array<{ bytes: Buffer; mediaType: string }>;
}): BuiltImage {
  const docker = options.format === 'docker';
  const compression = options.compression ?? 'gzip';
  const layers = options.layers.map((tar) => {
    const bytes = compress(tar, compression);
    const mediaType = docker
      ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
      : `application/vnd.oci.image.layer.v1.tar+${compression}`;
    return { digest: digestOf(bytes), bytes, mediaType, diffId: digestOf(tar) };
  });
  for (const { bytes, mediaType } of options.compressedLayers ?? []) layers.push({ digest: digestOf(bytes), bytes, mediaType, diffId: digestOf(bytes) });
  const configDoc = {
    architecture: options.architecture ?? 'amd64',
    os: 'linux',
    config: {
      ...(options.entrypoint ? { Entrypoint: options.entrypoint } : {}),
      ...(options.cmd ? { Cmd: options.cmd } : {}),
      ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
      Env: options.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  };
  const configBytes = Buffer.from(JSON.stringify(configDoc));
  const config: Blob = {
    digest: digestOf(configBytes),
    bytes: configBytes,
    mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
  };
  const mediaType = docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.bytes.length },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.bytes.length })),
    }),
  );
  return { manifest, manifestDigest: digestOf(manifest), mediaType, config, layers: layers.map(({ digest, bytes, mediaType }) => ({ digest, bytes, mediaType })) };
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Pushes an image over plain HTTP as a registry client does: each blob monolithically, then the manifest. */
export async function pushImage(baseUrl: string, authorization: string, repository: string, tag: string, image: BuiltImage): Promise<RawResponse> {
  for (const blob of [image.config, ...image.layers]) {
    const res = await rawRequest(baseUrl, {
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/?digest=${blob.digest}`,
      headers: { authorization, 'content-type': 'application/octet-stream', 'content-length': String(blob.bytes.length) },
      body: blob.bytes,
    });
    if (res.status !== 201) throw new Error(`blob push answered ${res.status}: ${res.body}`);
  }
  return rawRequest(baseUrl, {
    method: 'PUT',
    path: `/v2/${repository}/manifests/${tag}`,
    headers: { authorization, 'content-type': image.mediaType },
    body: image.manifest,
  });
}

/** The image as an OCI image layout directory (what `skopeo copy oci:<dir>:<tag>` reads). */
export function writeOciLayout(dir: string, tag: string, image: BuiltImage): void {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const blob of [image.config, ...image.layers, { digest: image.manifestDigest, bytes: image.manifest }]) {
    writeFileSync(path.join(dir, 'blobs', 'sha256', blob.digest.slice(7)), blob.bytes);
  }
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
}
