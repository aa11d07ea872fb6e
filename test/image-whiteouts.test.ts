import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { applyWhiteouts, removeMarkers, whiteoutsOf } from '../src/engine/images/whiteouts.js';

describe('OCI whiteouts', () => {
  test('a layer lists what it removes, which folders it makes opaque, and its markers', () => {
    const listed = whiteoutsOf(['etc/', 'etc/.wh.passwd', './opt/dir/.wh..wh..opq', 'opt/dir/c', '.wh.top']);
    assert.deepEqual(listed.removed, ['etc/passwd', 'top']);
    assert.deepEqual(listed.opaque, ['opt/dir']);
    assert.deepEqual(listed.markers, ['etc/.wh.passwd', 'opt/dir/.wh..wh..opq', '.wh.top']);
  });

  test('whiteouts remove files and folders below, opaque folders are emptied, markers go', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lambkin-whiteout-'));
    try {
      mkdirSync(path.join(root, 'etc'));
      writeFileSync(path.join(root, 'etc/passwd'), 'x');
      mkdirSync(path.join(root, 'opt/dir/sub'), { recursive: true });
      writeFileSync(path.join(root, 'opt/dir/a'), 'a');
      await applyWhiteouts(root, whiteoutsOf(['etc/.wh.passwd', 'opt/dir/.wh..wh..opq']));
      assert.equal(existsSync(path.join(root, 'etc/passwd')), false);
      assert.equal(existsSync(path.join(root, 'opt/dir')), true);
      assert.equal(existsSync(path.join(root, 'opt/dir/a')), false);
      assert.equal(existsSync(path.join(root, 'opt/dir/sub')), false);
      writeFileSync(path.join(root, 'etc/.wh.passwd'), '');
      await removeMarkers(root, ['etc/.wh.passwd']);
      assert.equal(existsSync(path.join(root, 'etc/.wh.passwd')), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a whiteout never follows a link an earlier layer planted, nor climbs out with ..', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lambkin-whiteout-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'lambkin-outside-'));
    try {
      writeFileSync(path.join(outside, 'precious'), 'keep');
      symlinkSync(outside, path.join(root, 'escape'));
      await applyWhiteouts(root, whiteoutsOf(['escape/.wh.precious', 'escape/.wh..wh..opq', '../.wh.precious']));
      assert.equal(existsSync(path.join(outside, 'precious')), true);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
