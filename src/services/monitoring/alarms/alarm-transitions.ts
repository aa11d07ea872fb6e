import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import { addHistory, getAlarm, setAlarmState, type AlarmScope } from '../tables/alarms-table.js';
import { enqueueAlarmActions } from './alarm-action-outbox.js';
import type { StateChange } from './alarm-messages.js';
import { isTransition, type AlarmState } from './alarm-states.js';

export interface TransitionDeps {
  db: Store;
  logger: Logger;
  /**
   * The outbox's drain: its clock dates the queued actions (the evaluator's clock may run ahead
   * of it in tests), and it is woken once a change that queued some commits.
   */
  alarmActions: { now(): number; wake(): void };
}

/**
 * The one place an alarm changes state (evaluation and SetAlarmState): the new state, its history
 * entry and the actions it owes in one transaction; the actions are then handed on from the
 * outbox (alarm-action-delivery.ts), which records each in the history.
 */
export async function changeAlarmState(
  deps: TransitionDeps,
  scope: AlarmScope,
  name: string,
  next: { value: AlarmState; reason: string; reasonData: string | null; at: number },
): Promise<StateChange | undefined> {
  let queued = 0;
  const change = await deps.db.transaction().execute(async (trx) => {
    const alarm = await getAlarm(trx, scope, name);
    if (!alarm) return undefined;
    const transitioned = isTransition(alarm.state, next.value);
    await setAlarmState(trx, scope, name, { ...next, transitioned });
    if (!transitioned) return undefined;
    const oldState = { value: alarm.state, reason: alarm.stateReason, reasonData: alarm.stateReasonData, at: alarm.stateUpdatedAt };
    await addHistory(trx, scope, {
      alarmName: name,
      timestamp: next.at,
      type: 'StateUpdate',
      summary: `Alarm updated from ${alarm.state} to ${next.value}`,
      data: JSON.stringify({
        version: '1.0',
        oldState: stateData(oldState),
        newState: stateData(next),
      }),
    });
    const change: StateChange = { alarm, oldState, newState: next };
    queued = await enqueueAlarmActions(trx, change, deps.alarmActions.now());
    return change;
  });
  if (queued > 0) deps.alarmActions.wake();
  return change;
}

function stateData(s: { value: string; reason: string; reasonData: string | null }): Record<string, unknown> {
  return { stateValue: s.value, stateReason: s.reason, ...(s.reasonData ? { stateReasonData: JSON.parse(s.reasonData) as unknown } : {}) };
}
