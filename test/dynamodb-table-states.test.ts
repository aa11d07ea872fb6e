import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransitionNotAllowed } from '../src/lifecycle.js';
import { acceptsItems, canTable, tableTransition, type TableEvent, type TableStatus } from '../src/services/dynamodb/table-states.js';

const STATES: TableStatus[] = ['CREATING', 'ACTIVE', 'UPDATING', 'DELETING', 'DELETED'];
const EVENTS: TableEvent[] = ['settle', 'update', 'delete'];
const ALLOWED: Record<string, TableStatus> = {
  'CREATING settle': 'ACTIVE',
  'ACTIVE update': 'UPDATING',
  'ACTIVE delete': 'DELETING',
  'UPDATING settle': 'ACTIVE',
  'DELETING settle': 'DELETED',
};

test('table status: every state × event moves as listed and throws TransitionNotAllowed otherwise', () => {
  for (const state of STATES) {
    for (const event of EVENTS) {
      const expected = ALLOWED[`${state} ${event}`];
      assert.equal(canTable(state, event), expected !== undefined, `${state} ${event}`);
      if (expected) assert.equal(tableTransition(state, event), expected);
      else assert.throws(() => tableTransition(state, event), TransitionNotAllowed);
    }
  }
});

test('items are read and written only while a table is ACTIVE or UPDATING', () => {
  assert.deepEqual(STATES.filter(acceptsItems), ['ACTIVE', 'UPDATING']);
});
