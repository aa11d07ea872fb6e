import type { Selectable } from 'kysely';
import type { QueueDb, QueueTable } from '../../../store/queue/queue.js';
import { enqueue } from '../../../store/queue/enqueue.js';
import type { CwAlarmActionsTable, Database } from '../../../store/schema.js';
import { lambdaAlarmEvent, snsAlarmNotification, type StateChange } from './alarm-messages.js';

export type AlarmActionRow = Selectable<CwAlarmActionsTable>;
/** The store assigns the id (the order of state changes). */
export type AlarmActionInsert = Omit<AlarmActionRow, 'id' | 'next_attempt_at' | 'lease_owner'>;

/** The actions state changes owe, as a durable queue table (store/queue), handed on in id order. */
export const CW_ALARM_ACTIONS: QueueTable<AlarmActionRow, AlarmActionInsert> = {
  name: 'cw_alarm_actions' satisfies keyof Database,
  order: ['id'],
};

/** What one stored action carries: the SNS notification or the Lambda event, rendered at the change. */
export type AlarmActionMessage = { kind: 'sns'; subject: string; message: string } | { kind: 'lambda'; event: Record<string, unknown> };

/** The actions of the new state (none while actions are disabled). */
export function actionArnsOf(change: StateChange): string[] {
  if (!change.alarm.actionsEnabled) return [];
  const d = change.alarm.definition;
  return change.newState.value === 'ALARM' ? d.alarmActions : change.newState.value === 'OK' ? d.okActions : d.insufficientDataActions;
}

/**
 * Writes the change's actions into the outbox inside the caller's transaction (the one that
 * stores the new state), so a crash after that commit cannot lose them.
 */
export async function enqueueAlarmActions(trx: QueueDb, change: StateChange, now: number): Promise<number> {
  const arns = actionArnsOf(change);
  if (arns.length === 0) return 0;
  const rows: AlarmActionInsert[] = arns.map((arn) => ({
    account_id: change.alarm.scope.accountId,
    region: change.alarm.scope.region,
    alarm_name: change.alarm.definition.alarmName,
    action_arn: arn,
    state_updated_at: change.newState.at,
    message: JSON.stringify(messageFor(arn, change)),
    attempts: 0,
    created_at: now,
    last_error: null,
  }));
  await enqueue(trx, CW_ALARM_ACTIONS, rows, now);
  return rows.length;
}

function messageFor(arn: string, change: StateChange): AlarmActionMessage {
  if (arn.split(':')[2] === 'sns') return { kind: 'sns', ...snsAlarmNotification(change) };
  return { kind: 'lambda', event: lambdaAlarmEvent(change) };
}
