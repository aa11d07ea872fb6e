import type { AsyncInvoker } from '../../../contracts/async-invoker.js';
import type { DeliverySinks } from '../../../contracts/delivery-sinks.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import { addHistory, alarmArn, getAlarm, setAlarmState, type AlarmScope } from '../tables/alarms-table.js';
import { lambdaAlarmEvent, snsAlarmNotification, type StateChange } from './alarm-messages.js';
import { isTransition, type AlarmState } from './alarm-states.js';

export interface TransitionDeps {
  db: Store;
  logger: Logger;
  sinks: DeliverySinks;
  asyncInvoker: AsyncInvoker;
}

/**
 * The one place an alarm changes state (evaluation and SetAlarmState): the new state and its
 * history entry in one transaction, then the actions of the new state, each with its own history
 * entry. SNS and Lambda both accept durably before they answer; an action whose target is gone
 * is recorded as failed.
 */
export async function changeAlarmState(
  deps: TransitionDeps,
  scope: AlarmScope,
  name: string,
  next: { value: AlarmState; reason: string; reasonData: string | null; at: number },
): Promise<StateChange | undefined> {
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
    return { alarm, oldState, newState: next } satisfies StateChange;
  });
  if (change) await runActions(deps, change);
  return change;
}

function stateData(s: { value: string; reason: string; reasonData: string | null }): Record<string, unknown> {
  return { stateValue: s.value, stateReason: s.reason, ...(s.reasonData ? { stateReasonData: JSON.parse(s.reasonData) as unknown } : {}) };
}

async function runActions(deps: TransitionDeps, change: StateChange): Promise<void> {
  const d = change.alarm.definition;
  if (!change.alarm.actionsEnabled) return;
  const arns = change.newState.value === 'ALARM' ? d.alarmActions : change.newState.value === 'OK' ? d.okActions : d.insufficientDataActions;
  const scope = change.alarm.scope;
  for (const arn of arns) {
    let summary: string;
    try {
      if (arn.split(':')[2] === 'sns') {
        const sink = deps.sinks.get('sns');
        if (!sink) throw new Error('SNS is not running');
        const { subject, message } = snsAlarmNotification(change);
        await sink.deliver(arn, { body: message, subject, sentBy: { principalService: 'cloudwatch.amazonaws.com', sourceArn: alarmArn(scope, d.alarmName), accountId: scope.accountId } });
        summary = `Successfully executed action ${arn}`;
      } else {
        await deps.asyncInvoker.enqueue({
          accountId: scope.accountId,
          region: scope.region,
          functionName: arn,
          payload: Buffer.from(JSON.stringify(lambdaAlarmEvent(change))),
          caller: { principalService: 'lambda.alarms.cloudwatch.amazonaws.com', sourceArn: alarmArn(scope, d.alarmName), sourceAccount: scope.accountId },
        });
        summary = `Successfully executed action ${arn}`;
      }
    } catch (err) {
      deps.logger.warn({ err, alarm: d.alarmName, action: arn }, 'alarm action failed');
      summary = `Failed to execute action ${arn}. Received error: "${err instanceof Error ? err.message : String(err)}"`;
    }
    await addHistory(deps.db, scope, {
      alarmName: d.alarmName,
      timestamp: change.newState.at,
      type: 'Action',
      summary,
      data: JSON.stringify({ actionState: summary.startsWith('Successfully') ? 'Succeeded' : 'Failed', stateUpdateTimestamp: change.newState.at, notificationResource: arn }),
    });
  }
}
