import { TransitionNotAllowed } from '../../lifecycle.js';

/**
 * Function `State` and `LastUpdateStatus` as explicit state machines (spec §2.3). Every transition
 * not in a table is refused, so a bug cannot move a function into a state AWS never shows.
 */
export type FunctionState = 'Pending' | 'Active' | 'Failed' | 'Inactive';
export type FunctionStateEvent = 'provisioned' | 'provisioningFailed' | 'idleReclaimed' | 'reactivating' | 'imageDeleted' | 'imageReplaced';

const STATE_TRANSITIONS: Record<FunctionState, Partial<Record<FunctionStateEvent, FunctionState>>> = {
  // A container image function whose image left the registry can run no more (ImageDeleted).
  Pending: { provisioned: 'Active', provisioningFailed: 'Failed', imageDeleted: 'Failed' },
  Active: { idleReclaimed: 'Inactive', imageDeleted: 'Failed' },
  Inactive: { reactivating: 'Pending', imageDeleted: 'Failed' },
  // UpdateFunctionCode with a new ImageUri is the way back for an image function that Failed
  // (its image deleted, or too large): Lambda prepares the new image as for a new function.
  Failed: { imageReplaced: 'Pending' },
};

export type UpdateStatus = 'InProgress' | 'Successful' | 'Failed';
export type UpdateStatusEvent = 'updateStarted' | 'updateSucceeded' | 'updateFailed';

const UPDATE_TRANSITIONS: Record<UpdateStatus | 'None', Partial<Record<UpdateStatusEvent, UpdateStatus>>> = {
  None: { updateStarted: 'InProgress' },
  InProgress: { updateSucceeded: 'Successful', updateFailed: 'Failed' },
  Successful: { updateStarted: 'InProgress' },
  Failed: { updateStarted: 'InProgress' },
};

export function transitionState(from: FunctionState, event: FunctionStateEvent): FunctionState {
  const to = STATE_TRANSITIONS[from][event];
  if (!to) throw new TransitionNotAllowed('State', from, event);
  return to;
}

export function transitionUpdateStatus(from: UpdateStatus | undefined, event: UpdateStatusEvent): UpdateStatus {
  const key = from ?? 'None';
  const to = UPDATE_TRANSITIONS[key][event];
  if (!to) throw new TransitionNotAllowed('LastUpdateStatus', key, event);
  return to;
}

export const FUNCTION_STATES = Object.keys(STATE_TRANSITIONS) as FunctionState[];
export const FUNCTION_STATE_EVENTS: FunctionStateEvent[] = ['provisioned', 'provisioningFailed', 'idleReclaimed', 'reactivating', 'imageDeleted', 'imageReplaced'];
export const UPDATE_STATUSES = Object.keys(UPDATE_TRANSITIONS) as Array<UpdateStatus | 'None'>;
export const UPDATE_STATUS_EVENTS: UpdateStatusEvent[] = ['updateStarted', 'updateSucceeded', 'updateFailed'];
