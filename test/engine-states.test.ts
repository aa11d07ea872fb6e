import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTransition, type EnvironmentState } from '../src/engine/environment-states.js';
import { TransitionNotAllowed } from '../src/lifecycle.js';

test('environment lifecycle allows exactly the listed transitions', () => {
  const allowed: Array<[EnvironmentState, EnvironmentState]> = [
    ['init', 'ready'], ['init', 'busy'], ['init', 'dead'], ['ready', 'busy'], ['ready', 'dead'], ['busy', 'ready'], ['busy', 'dead'],
  ];
  const states: EnvironmentState[] = ['init', 'ready', 'busy', 'dead'];
  for (const from of states) {
    for (const to of states) {
      const ok = allowed.some(([a, b]) => a === from && b === to);
      if (ok) assert.doesNotThrow(() => checkTransition(from, to));
      else assert.throws(() => checkTransition(from, to), TransitionNotAllowed, `${from} → ${to} must be refused`);
    }
  }
});
