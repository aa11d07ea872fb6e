// Type-checks and bundles the web console (console/) into dist/console/: one script and one
// stylesheet with Preact, uPlot and fflate inside, nothing fetched at run time. `npm run build` runs
// it after tsc; `--size` prints the sizes.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'console');
// esbuild strips types without checking them; the pages get the same strict check as the server.
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'console', 'tsconfig.json')], { stdio: 'inherit' });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: path.join(root, 'console', 'src', 'main.tsx') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(path.join(root, 'console', 'index.html'), path.join(out, 'index.html'));
if (process.argv.includes('--size')) {
  for (const name of ['app.js', 'app.css', 'index.html']) {
    const file = path.join(out, name);
    console.log(`${name}: ${statSync(file).size} bytes, ${gzipSync(readFileSync(file), { level: 9 }).length} gzipped`);
  }
}
