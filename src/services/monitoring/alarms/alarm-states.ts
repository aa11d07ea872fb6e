/**
 * An alarm's states. Evaluation and SetAlarmState may move an alarm from any state to any other;
 * a move to the state it is in changes nothing (no history, no actions), which is the one rule.
 */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export function isAlarmState(value: string): value is AlarmState {
  return (ALARM_STATES as readonly string[]).includes(value);
}

/** Whether moving `from` → `to` is a transition (history entry and actions) rather than a no-op. */
export function isTransition(from: AlarmState, to: AlarmState): boolean {
  return from !== to;
}
