import { TransitionNotAllowed } from '../../lifecycle.js';

/**
 * The lifecycle of a stream as `StreamStatus` reports it, and of a registered consumer as
 * `ConsumerStatus`. A transitional status (CREATING, UPDATING, DELETING) ends by itself after a
 * short delay (`settle`); DELETING ends with the stream gone.
 */
export type StreamStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'DELETED';
export type StreamEvent = 'settle' | 'reshard' | 'delete';

/**
 * Every allowed move. Resharding and retention changes need ACTIVE (AWS answers
 * ResourceInUseException otherwise); a stream being resharded may still be deleted.
 */
const STREAM_TRANSITIONS: Record<StreamStatus, Partial<Record<StreamEvent, StreamStatus>>> = {
  CREATING: { settle: 'ACTIVE' },
  ACTIVE: { reshard: 'UPDATING', delete: 'DELETING' },
  UPDATING: { settle: 'ACTIVE', delete: 'DELETING' },
  DELETING: { settle: 'DELETED' },
  DELETED: {},
};

export type ConsumerStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'DELETED';
export type ConsumerEvent = 'settle' | 'deregister';

const CONSUMER_TRANSITIONS: Record<ConsumerStatus, Partial<Record<ConsumerEvent, ConsumerStatus>>> = {
  CREATING: { settle: 'ACTIVE', deregister: 'DELETING' },
  ACTIVE: { deregister: 'DELETING' },
  DELETING: { settle: 'DELETED' },
  DELETED: {},
};

export function streamTransition(from: StreamStatus, event: StreamEvent): StreamStatus {
  const to = STREAM_TRANSITIONS[from][event];
  if (!to) throw new TransitionNotAllowed('stream', from, event);
  return to;
}

export function canStream(from: StreamStatus, event: StreamEvent): boolean {
  return STREAM_TRANSITIONS[from][event] !== undefined;
}

export function consumerTransition(from: ConsumerStatus, event: ConsumerEvent): ConsumerStatus {
  const to = CONSUMER_TRANSITIONS[from][event];
  if (!to) throw new TransitionNotAllowed('consumer', from, event);
  return to;
}

/** Records can be written to and read from a stream in these states. */
export function acceptsRecords(status: StreamStatus): boolean {
  return status === 'ACTIVE' || status === 'UPDATING';
}
