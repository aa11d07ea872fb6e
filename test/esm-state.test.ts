import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transition, type MappingEvent, type MappingState } from '../src/services/lambda/esm-state.js';
import { TransitionNotAllowed } from '../src/lifecycle.js';

const STATES: MappingState[] = ['Creating', 'Enabling', 'Enabled', 'Disabling', 'Disabled', 'Updating', 'Deleting'];
const EVENTS: MappingEvent[] = ['update', 'enable', 'disable', 'delete', 'settleEnabled', 'settleDisabled'];

// The full state × event matrix; a pair not listed must be refused.
const EXPECTED: Record<MappingState, Partial<Record<MappingEvent, MappingState>>> = {
  Creating: { settleEnabled: 'Enabled', settleDisabled: 'Disabled', delete: 'Deleting' },
  Enabling: { settleEnabled: 'Enabled', settleDisabled: 'Disabled', delete: 'Deleting' },
  Enabled: { update: 'Updating', disable: 'Disabling', delete: 'Deleting' },
  Disabling: { settleDisabled: 'Disabled', settleEnabled: 'Enabled', delete: 'Deleting' },
  Disabled: { update: 'Updating', enable: 'Enabling', delete: 'Deleting' },
  Updating: { settleEnabled: 'Enabled', settleDisabled: 'Disabled' },
  Deleting: {},
};

test('event source mapping lifecycle allows exactly the listed transitions', () => {
  for (const state of STATES) {
    for (const event of EVENTS) {
      const next = EXPECTED[state][event];
      if (next) assert.equal(transition(state, event), next, `${state} + ${event}`);
      else assert.throws(() => transition(state, event), TransitionNotAllowed, `${state} + ${event} must be refused`);
    }
  }
});

test('a refused transition names the machine, the state and the event', () => {
  const err = (() => {
    try {
      transition('Updating', 'delete');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof TransitionNotAllowed);
  assert.equal(err.machine, 'event source mapping');
  assert.equal(err.state, 'Updating');
  assert.equal(err.event, 'delete');
  assert.equal(err.message, "event source mapping: transition 'delete' is not allowed from 'Updating'");
});
