import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/: the script sits two folders up, in scripts/.
const SCRIPT = fileURLToPath(new URL('../../scripts/check-layers.mjs', import.meta.url));

function check(srcDir?: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [SCRIPT, ...(srcDir ? [srcDir] : [])], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-layers-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('import floors (scripts/check-layers.mjs)', () => {
  test('src/ imports run only down the floors, with no new circles', () => {
    const { status, output } = check();
    assert.equal(status, 0, output);
  });

  test('an upward import, a sideways import between services and a circle each fail, by name', () => {
    const dir = tree({
      'clock.ts': 'export const now = 0;\n',
      'store/database.ts': "import { x } from '../engine/invoke.js';\nexport const db = x;\n",
      'engine/invoke.ts': "import { now } from '../clock.js';\nexport const x = now;\n",
      'services/s3/objects.ts': "import { fn } from '../lambda/functions.js';\nexport const o = fn;\n",
      'services/lambda/functions.ts': "import type { Z } from './b.js';\nexport const fn = 1;\nexport type Y = Z;\n",
      'services/lambda/b.ts': "import type { Y } from './functions.js';\nexport type Z = Y | 1;\n",
    });
    try {
      const { status, output } = check(dir);
      assert.equal(status, 1);
      assert.match(output, /store\/database\.ts imports engine\/invoke\.ts \(upward/);
      assert.match(output, /services\/s3\/objects\.ts imports services\/lambda\/functions\.ts \(sideways/);
      assert.match(output, /import circle among services\/lambda\/b\.ts, services\/lambda\/functions\.ts/);
      assert.doesNotMatch(output, /engine\/invoke\.ts imports clock\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
