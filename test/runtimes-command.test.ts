import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CATALOG_RUNTIMES } from '../src/engine/runtimes/catalog.js';

const run = promisify(execFile);
const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;
// Version-manager shims on PATH make interpreter lookups slow; system directories suffice here.
const SYSTEM_PATH = [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);

// Node releases installed for nodejsNN.x are listed by test/node-versions.test.ts; none here.
const noNodeReleases = mkdtempSync(path.join(tmpdir(), 'lambkin-no-node-releases-'));
const runtimes = async (PATH: string) =>
  (await run(process.execPath, [CLI, 'runtimes'], { env: { ...process.env, PATH, LAMBKIN_NODE_RUNTIMES_DIR: noNodeReleases } })).stdout;
const row = (stdout: string, id: string) => stdout.split('\n').find((line) => line.split(' ')[0] === id) ?? '';

describe('lambkin runtimes', () => {
  test('lists every catalog runtime once, with the interpreter and its version or what is missing', async () => {
    const stdout = await runtimes(SYSTEM_PATH);
    assert.deepEqual(stdout.trim().split('\n').map((l) => l.split(' ')[0]), [...CATALOG_RUNTIMES]);
    const hostMajor = process.versions.node.split('.')[0];
    assert.equal(row(stdout, `nodejs${hostMajor}.x`).replace(/ +/, ' '), `nodejs${hostMajor}.x → ${process.execPath} (${process.versions.node})`);
    if (hostMajor !== '22') {
      assert.equal(
        row(stdout, 'nodejs22.x').replace(/ +/, ' '),
        `nodejs22.x → ${process.execPath} (${process.versions.node}) until Node 22 is installed: on first use, or 'lambkin runtimes install nodejs22.x'`,
      );
    }
    assert.match(row(stdout, 'python3.12'), /^python3\.12 +(→ \/\S+ \(3\.\d+\.\d+\)|missing: .*python3.*)$/);
    for (const id of ['provided', 'provided.al2', 'provided.al2023']) assert.match(row(stdout, id), /→ the function's own bootstrap/);
    for (const id of ['dotnet8', 'dotnet10']) assert.match(row(stdout, id), new RegExp(`^${id} +missing: the ${id} runtime cannot start on this Lambkin host: .*native AOT on provided\\.al2023`));
  });

  test('each Ruby identifier names the host ruby and the version that really runs it', async () => {
    const ruby = spawnSync('ruby', ['-e', 'print RbConfig.ruby, " ", RUBY_VERSION'], { env: { ...process.env, PATH: SYSTEM_PATH } });
    const stdout = await runtimes(SYSTEM_PATH);
    for (const id of ['ruby3.2', 'ruby3.3', 'ruby3.4']) {
      if (ruby.status === 0) {
        const [binary, version] = ruby.stdout.toString().split(' ');
        assert.equal(row(stdout, id).replace(/ +/, ' '), `${id} → ${binary} (${version})`);
      } else {
        assert.match(row(stdout, id), /missing: .*no ruby was found on PATH \(install the Debian package ruby\)/);
      }
    }
  });

  test('an interpreter missing from PATH is reported as missing with the package to install', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'lambkin-empty-path-'));
    const stdout = await runtimes(empty);
    rmSync(empty, { recursive: true });
    assert.match(row(stdout, 'ruby3.3'), /^ruby3\.3 +missing: the ruby3\.3 runtime needs a Ruby interpreter on the Lambkin host, and no ruby was found on PATH \(install the Debian package ruby\)$/);
    assert.match(row(stdout, 'python3.12'), /^python3\.12 +missing: no python3\.12 or python3 interpreter was found on PATH$/);
    // Node runtimes run on the Node that runs Lambkin or on installed releases, whatever PATH holds.
    assert.match(row(stdout, 'nodejs24.x'), /→ /);
  });
});
