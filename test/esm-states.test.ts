import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransitionNotAllowed } from '../src/lifecycle.js';
import { initialState, isTransitional, transition, type MappingEvent, type MappingState } from '../src/services/lambda/esm-state.js';

const STATES: MappingState[] = ['Creating', 'Enabling', 'Enabled', 'Disabling', 'Disabled', 'Updating', 'Deleting'];
const EVENTS: MappingEvent[] = ['update', 'enable', 'disable', 'delete', 'settleEnabled', 'settleDisabled'];

/** Every allowed move and where it lands; every pair not listed must be refused. */
const ALLOWED: Array<[MappingState, MappingEvent, MappingState]> = [
  ['Creating', 'settleEnabled', 'Enabled'],
  ['Creating', 'settleDisabled', 'Disabled'],
  ['Creating', 'delete', 'Deleting'],
  ['Enabling', 'settleEnabled', 'Enabled'],
  ['Enabling', 'settleDisabled', 'Disabled'],
  ['Enabling', 'delete', 'Deleting'],
  ['Enabled', 'update', 'Updating'],
  ['Enabled', 'disable', 'Disabling'],
  ['Enabled', 'delete', 'Deleting'],
  ['Disabling', 'settleDisabled', 'Disabled'],
  ['Disabling', 'settleEnabled', 'Enabled'],
  ['Disabling', 'delete', 'Deleting'],
  ['Disabled', 'update', 'Updating'],
  ['Disabled', 'enable', 'Enabling'],
  ['Disabled', 'delete', 'Deleting'],
  // AWS refuses DeleteEventSourceMapping while Updating (ResourceInUseException).
  ['Updating', 'settleEnabled', 'Enabled'],
  ['Updating', 'settleDisabled', 'Disabled'],
];

test('event source mapping lifecycle allows exactly the listed transitions, landing where listed', () => {
  for (const from of STATES) {
    for (const event of EVENTS) {
      const allowed = ALLOWED.find(([a, e]) => a === from && e === event);
      if (allowed) {
        assert.equal(transition(from, event), allowed[2], `${from} --${event}-->`);
      } else {
        assert.throws(
          () => transition(from, event),
          (err: unknown) => err instanceof TransitionNotAllowed && err.machine === 'event source mapping' && err.state === from && err.event === event && err.message.includes(from) && err.message.includes(event),
          `${from} --${event}--> must be refused, naming the state and the event`,
        );
      }
    }
  }
});

test('a new mapping starts Creating when enabled, Disabled at once when not (as AWS answers)', () => {
  assert.equal(initialState(true), 'Creating');
  assert.equal(initialState(false), 'Disabled');
});

test('only Enabled and Disabled are settled states', () => {
  for (const state of STATES) assert.equal(isTransitional(state), state !== 'Enabled' && state !== 'Disabled', state);
});
