import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { ReconcileLoop } from '../src/triggers/esm/reconcile-loop.js';

/** A reconcile that records what it read when it started, and can be held open. */
function recordingReconcile() {
  const state = { table: 'before', seen: [] as string[], active: 0, overlapped: false, hold: null as Promise<void> | null };
  const reconcile = async () => {
    state.active++;
    if (state.active > 1) state.overlapped = true;
    state.seen.push(state.table);
    if (state.hold) await state.hold;
    state.active--;
  };
  return { state, reconcile };
}

test('passNow returns after a pass that read the table after the call, never two passes at once, and the loop goes on', async () => {
  const { state, reconcile } = recordingReconcile();
  const loop = new ReconcileLoop(systemClock, createLogger('silent'), reconcile, { message: 'x' });
  let release!: () => void;
  state.hold = new Promise((r) => { release = r; });
  loop.start(); // a pass under way, which read the table before the change
  assert.deepEqual(state.seen, ['before']);
  state.table = 'after';
  const first = loop.passNow();
  const second = loop.passNow();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(state.seen, ['before'], 'no second pass while the first runs');
  state.hold = null;
  release();
  await Promise.all([first, second]);
  assert.deepEqual(state.seen.slice(0, 3), ['before', 'after', 'after']);
  assert.equal(state.overlapped, false);
  // The timer still runs passes afterwards (one, not one per passNow).
  const count = state.seen.length;
  await new Promise((r) => setTimeout(r, 400));
  assert.ok(state.seen.length >= count + 1 && state.seen.length <= count + 2, `${state.seen.length - count} timed passes in 400 ms`);
  loop.stop();
  await loop.passNow();
  const stopped = state.seen.length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(state.seen.length, stopped, 'no pass after stop');
});
