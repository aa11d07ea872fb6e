import type { Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { CwAlarmsTable, Database } from '../../../store/schema.js';
import type { AlarmDefinition } from '../alarms/alarm-definition.js';
import type { AlarmState } from '../alarms/alarm-states.js';

export interface AlarmScope {
  accountId: string;
  region: string;
}

export interface StoredAlarm {
  scope: AlarmScope;
  definition: AlarmDefinition;
  actionsEnabled: boolean;
  state: AlarmState;
  stateReason: string;
  stateReasonData: string | null;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  configurationUpdatedAt: number;
  tags: { Key: string; Value: string }[];
}

export function alarmArn(scope: AlarmScope, name: string): string {
  return `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${name}`;
}

function fromRow(row: CwAlarmsTable): StoredAlarm {
  return {
    scope: { accountId: row.account_id, region: row.region },
    definition: JSON.parse(row.definition) as AlarmDefinition,
    actionsEnabled: row.actions_enabled === 1,
    state: row.state_value as AlarmState,
    stateReason: row.state_reason,
    stateReasonData: row.state_reason_data,
    stateUpdatedAt: row.state_updated_at,
    stateTransitionedAt: row.state_transitioned_at,
    configurationUpdatedAt: row.configuration_updated_at,
    tags: JSON.parse(row.tags) as { Key: string; Value: string }[],
  };
}

export async function getAlarm(db: Store | Transaction<Database>, scope: AlarmScope, name: string): Promise<StoredAlarm | undefined> {
  const row = await db.selectFrom('cw_alarms').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('alarm_name', '=', name).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Every alarm of an account and region by name, or of every account when `scope` is absent (the evaluator). */
export async function listAlarms(db: Store, scope?: AlarmScope): Promise<StoredAlarm[]> {
  let q = db.selectFrom('cw_alarms').selectAll();
  if (scope) q = q.where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const rows = await q.orderBy('account_id').orderBy('region').orderBy('alarm_name').execute();
  return rows.map(fromRow);
}

/** Inserts the alarm, or replaces its configuration and keeps its state (PutMetricAlarm on an existing alarm). */
export async function putAlarm(trx: Transaction<Database>, alarm: StoredAlarm): Promise<void> {
  const values = {
    definition: JSON.stringify(alarm.definition),
    actions_enabled: alarm.actionsEnabled ? 1 : 0,
    configuration_updated_at: alarm.configurationUpdatedAt,
    tags: JSON.stringify(alarm.tags),
  };
  const updated = await trx
    .updateTable('cw_alarms')
    .set(values)
    .where('account_id', '=', alarm.scope.accountId)
    .where('region', '=', alarm.scope.region)
    .where('alarm_name', '=', alarm.definition.alarmName)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await trx
    .insertInto('cw_alarms')
    .values({
      account_id: alarm.scope.accountId,
      region: alarm.scope.region,
      alarm_name: alarm.definition.alarmName,
      ...values,
      state_value: alarm.state,
      state_reason: alarm.stateReason,
      state_reason_data: alarm.stateReasonData,
      state_updated_at: alarm.stateUpdatedAt,
      state_transitioned_at: alarm.stateTransitionedAt,
    })
    .execute();
}

export async function setAlarmState(
  trx: Transaction<Database>,
  scope: AlarmScope,
  name: string,
  state: { value: AlarmState; reason: string; reasonData: string | null; at: number; transitioned: boolean },
): Promise<void> {
  await trx
    .updateTable('cw_alarms')
    .set({
      state_value: state.value,
      state_reason: state.reason,
      state_reason_data: state.reasonData,
      state_updated_at: state.at,
      ...(state.transitioned ? { state_transitioned_at: state.at } : {}),
    })
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('alarm_name', '=', name)
    .execute();
}

export async function setActionsEnabled(db: Store, scope: AlarmScope, names: string[], enabled: boolean): Promise<void> {
  if (names.length === 0) return;
  await db
    .updateTable('cw_alarms')
    .set({ actions_enabled: enabled ? 1 : 0 })
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('alarm_name', 'in', names)
    .execute();
}

export async function deleteAlarms(trx: Transaction<Database>, scope: AlarmScope, names: string[]): Promise<void> {
  await trx.deleteFrom('cw_alarms').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('alarm_name', 'in', names).execute();
}

export interface HistoryItem {
  alarmName: string;
  timestamp: number;
  type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
}

export async function addHistory(db: Store | Transaction<Database>, scope: AlarmScope, item: HistoryItem): Promise<void> {
  await db
    .insertInto('cw_alarm_history')
    .values({
      account_id: scope.accountId,
      region: scope.region,
      alarm_name: item.alarmName,
      alarm_type: 'MetricAlarm',
      timestamp: item.timestamp,
      history_item_type: item.type,
      history_summary: item.summary,
      history_data: item.data,
    })
    .execute();
}

export async function listHistory(
  db: Store,
  scope: AlarmScope,
  filter: { alarmName?: string; type?: string; startMs?: number; endMs?: number; newestFirst: boolean },
): Promise<HistoryItem[]> {
  let q = db.selectFrom('cw_alarm_history').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  if (filter.alarmName !== undefined) q = q.where('alarm_name', '=', filter.alarmName);
  if (filter.type !== undefined) q = q.where('history_item_type', '=', filter.type);
  if (filter.startMs !== undefined) q = q.where('timestamp', '>=', filter.startMs);
  if (filter.endMs !== undefined) q = q.where('timestamp', '<=', filter.endMs);
  const rows = await q.orderBy('timestamp', filter.newestFirst ? 'desc' : 'asc').orderBy('id', filter.newestFirst ? 'desc' : 'asc').execute();
  return rows.map((r) => ({ alarmName: r.alarm_name, timestamp: r.timestamp, type: r.history_item_type as HistoryItem['type'], summary: r.history_summary, data: r.history_data }));
}

/** Drops history older than `beforeMs` (CloudWatch keeps two weeks). */
export async function trimHistory(db: Store, beforeMs: number): Promise<void> {
  await db.deleteFrom('cw_alarm_history').where('timestamp', '<', beforeMs).execute();
}
