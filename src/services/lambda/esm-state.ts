import { TransitionNotAllowed } from '../../lifecycle.js';

/** The lifecycle of an event source mapping, as the API reports it in `State`. */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

/** User actions, and `settle*` when a transitional state finishes (Enabled or Disabled as wanted). */
export type MappingEvent = 'update' | 'enable' | 'disable' | 'delete' | 'settleEnabled' | 'settleDisabled';

/**
 * Every allowed move. AWS refuses an update while a mapping is still Creating/Updating/… and a
 * delete while it is Updating (ResourceInUseException), so those moves are simply not listed.
 */
const TRANSITIONS: Record<MappingState, Partial<Record<MappingEvent, MappingState>>> = {
  Creating: { settleEnabled: 'Enabled', settleDisabled: 'Disabled', delete: 'Deleting' },
  Enabling: { settleEnabled: 'Enabled', settleDisabled: 'Disabled', delete: 'Deleting' },
  Enabled: { update: 'Updating', disable: 'Disabling', delete: 'Deleting' },
  Disabling: { settleDisabled: 'Disabled', settleEnabled: 'Enabled', delete: 'Deleting' },
  Disabled: { update: 'Updating', enable: 'Enabling', delete: 'Deleting' },
  Updating: { settleEnabled: 'Enabled', settleDisabled: 'Disabled' },
  Deleting: {},
};

export function transition(from: MappingState, event: MappingEvent): MappingState {
  const to = TRANSITIONS[from][event];
  if (!to) throw new TransitionNotAllowed('event source mapping', from, event);
  return to;
}

/** The state a new mapping reports: AWS answers `Disabled` at once when created disabled (recorded). */
export function initialState(enabled: boolean): MappingState {
  return enabled ? 'Creating' : 'Disabled';
}

/** States that move on by themselves after a short while. */
export function isTransitional(state: MappingState): boolean {
  return state !== 'Enabled' && state !== 'Disabled';
}
