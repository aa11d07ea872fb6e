import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FUNCTION_STATE_EVENTS, FUNCTION_STATES, transitionState, transitionUpdateStatus,
  UPDATE_STATUS_EVENTS, UPDATE_STATUSES, type FunctionState, type UpdateStatus,
} from '../src/services/lambda/function-state.js';
import { TransitionNotAllowed } from '../src/lifecycle.js';

// The full state × event matrix: every pair is either the listed transition or refused.
const EXPECTED_STATE: Record<FunctionState, Record<string, FunctionState | null>> = {
  Pending: { provisioned: 'Active', provisioningFailed: 'Failed', idleReclaimed: null, reactivating: null, imageDeleted: 'Failed', imageReplaced: null },
  Active: { provisioned: null, provisioningFailed: null, idleReclaimed: 'Inactive', reactivating: null, imageDeleted: 'Failed', imageReplaced: null },
  Inactive: { provisioned: null, provisioningFailed: null, idleReclaimed: null, reactivating: 'Pending', imageDeleted: 'Failed', imageReplaced: null },
  Failed: { provisioned: null, provisioningFailed: null, idleReclaimed: null, reactivating: null, imageDeleted: null, imageReplaced: 'Pending' },
};

const EXPECTED_UPDATE: Record<UpdateStatus | 'None', Record<string, UpdateStatus | null>> = {
  None: { updateStarted: 'InProgress', updateSucceeded: null, updateFailed: null },
  InProgress: { updateStarted: null, updateSucceeded: 'Successful', updateFailed: 'Failed' },
  Successful: { updateStarted: 'InProgress', updateSucceeded: null, updateFailed: null },
  Failed: { updateStarted: 'InProgress', updateSucceeded: null, updateFailed: null },
};

describe('function State machine', () => {
  for (const from of FUNCTION_STATES) {
    for (const event of FUNCTION_STATE_EVENTS) {
      const expected = EXPECTED_STATE[from][event];
      test(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        if (expected) assert.equal(transitionState(from, event), expected);
        else assert.throws(() => transitionState(from, event), TransitionNotAllowed);
      });
    }
  }
});

describe('LastUpdateStatus machine', () => {
  for (const from of UPDATE_STATUSES) {
    for (const event of UPDATE_STATUS_EVENTS) {
      const expected = EXPECTED_UPDATE[from][event];
      test(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        const start = from === 'None' ? undefined : from;
        if (expected) assert.equal(transitionUpdateStatus(start, event), expected);
        else assert.throws(() => transitionUpdateStatus(start, event), TransitionNotAllowed);
      });
    }
  }
});
