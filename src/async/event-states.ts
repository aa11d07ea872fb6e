import { TransitionNotAllowed } from '../lifecycle.js';

/**
 * The life of one queued event. Every attempt starts from `queued`; what the attempt saw decides
 * where it goes. Anything the table does not list is a bug and throws.
 */
export type EventState = 'queued' | 'running' | 'succeeded' | 'failed' | 'dropped';
export type EventTransition =
  | 'lease'
  | 'success'
  | 'functionError'
  | 'throttled'
  | 'serviceError'
  | 'retriesExhausted'
  | 'ageExceeded'
  | 'zeroReservedConcurrency'
  | 'functionDeleted';

const TRANSITIONS: Record<EventState, Partial<Record<EventTransition, EventState>>> = {
  queued: { lease: 'running' },
  running: {
    success: 'succeeded',
    // Back to the queue: retried after ~1/~2 min (function error) or the back-off (throttle, service error).
    functionError: 'queued',
    throttled: 'queued',
    serviceError: 'queued',
    retriesExhausted: 'failed',
    ageExceeded: 'failed',
    zeroReservedConcurrency: 'failed',
    functionDeleted: 'dropped',
  },
  succeeded: {},
  failed: {},
  dropped: {},
};

export function transition(state: EventState, event: EventTransition): EventState {
  const next = TRANSITIONS[state][event];
  if (!next) throw new TransitionNotAllowed('async event', state, event);
  return next;
}

export const EVENT_STATES = Object.keys(TRANSITIONS) as EventState[];
