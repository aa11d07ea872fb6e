import { TransitionNotAllowed } from '../lifecycle.js';

/** Lifecycle of an execution environment (DESIGN.md: init → ready → busy → dead). */
export type EnvironmentState = 'init' | 'ready' | 'busy' | 'dead';

/**
 * The only moves allowed. `init → busy` is a cold start handing its first event to the runtime;
 * `busy → ready` happens when the runtime answers; anything may die (exit, timeout, kill).
 */
const TRANSITIONS: Readonly<Record<EnvironmentState, readonly EnvironmentState[]>> = {
  init: ['ready', 'busy', 'dead'],
  ready: ['busy', 'dead'],
  busy: ['ready', 'dead'],
  dead: [],
};

export function checkTransition(from: EnvironmentState, to: EnvironmentState): void {
  if (!TRANSITIONS[from].includes(to)) throw new TransitionNotAllowed('environment', from, to);
}
