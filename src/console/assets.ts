import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One built file of the console, kept in memory, gzipped once. */
export interface ConsoleAsset {
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Where `npm run build` writes the bundle (scripts/build-console.mjs): dist/console at the package
 * root, which this file sits three floors under once compiled (dist/src/console/).
 */
export const CONSOLE_BUILD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'console');

/** The built console, read on first use (a server that never serves it never reads it). */
export class ConsoleAssets {
  private files: Map<string, ConsoleAsset> | undefined;

  constructor(private readonly dir: string = CONSOLE_BUILD_DIR) {}

  get(name: string): ConsoleAsset | undefined {
    this.files ??= this.load();
    return this.files.get(name);
  }

  private load(): Map<string, ConsoleAsset> {
    const files = new Map<string, ConsoleAsset>();
    if (!existsSync(this.dir)) return files;
    for (const name of readdirSync(this.dir)) {
      const contentType = CONTENT_TYPES[path.extname(name)];
      if (!contentType) continue;
      const body = readFileSync(path.join(this.dir, name));
      files.set(name, { contentType, body, gzipped: gzipSync(body, { level: 9 }) });
    }
    return files;
  }
}
