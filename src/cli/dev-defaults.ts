import { existsSync } from 'node:fs';
import path from 'node:path';

/** What `lambkin dev` creates when --runtime and --handler are not given: guessed from the folder's files. */
export interface DevFunctionShape {
  runtime: string;
  handler: string;
}

/** The first of these files in the folder decides (the AWS console's default file names first). */
const SHAPES: Array<{ file: string; runtime: string; handler: string }> = [
  { file: 'index.mjs', runtime: 'nodejs22.x', handler: 'index.handler' },
  { file: 'index.js', runtime: 'nodejs22.x', handler: 'index.handler' },
  { file: 'index.cjs', runtime: 'nodejs22.x', handler: 'index.handler' },
  { file: 'app.mjs', runtime: 'nodejs22.x', handler: 'app.handler' },
  { file: 'app.js', runtime: 'nodejs22.x', handler: 'app.handler' },
  { file: 'handler.js', runtime: 'nodejs22.x', handler: 'handler.handler' },
  { file: 'lambda_function.py', runtime: 'python3.12', handler: 'lambda_function.lambda_handler' },
  { file: 'app.py', runtime: 'python3.12', handler: 'app.handler' },
  { file: 'handler.py', runtime: 'python3.12', handler: 'handler.handler' },
  { file: 'lambda_function.rb', runtime: 'ruby3.3', handler: 'lambda_function.lambda_handler' },
  { file: 'bootstrap', runtime: 'provided.al2023', handler: 'bootstrap' },
];

export function guessShape(folder: string, given: { runtime?: string; handler?: string }): DevFunctionShape | string {
  if (given.runtime && given.handler) return { runtime: given.runtime, handler: given.handler };
  const found = SHAPES.find((s) => existsSync(path.join(folder, s.file)) && (!given.runtime || given.runtime.startsWith(s.runtime.replace(/[\d.]+x?$/, ''))));
  if (!found) return `cannot tell the runtime and handler from the files in ${folder}: give --runtime and --handler`;
  return { runtime: given.runtime ?? found.runtime, handler: given.handler ?? found.handler };
}

/** A folder name as a function name: letters, digits, `-` and `_`, at most 64 characters. */
export function functionNameFor(folder: string): string {
  return path.basename(folder).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'dev';
}
