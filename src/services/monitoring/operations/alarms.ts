import type { RequestContext } from '../../../contracts/request-context.js';
import { readAlarmDefinition } from '../alarms/alarm-definition.js';
import { isAlarmState } from '../alarms/alarm-states.js';
import { changeAlarmState } from '../alarms/alarm-transitions.js';
import { metricAlarmView } from '../alarms/alarm-view.js';
import type { MonitoringDeps, MonitoringOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalDate, optionalInteger, optionalString, requiredString, strings, structures } from '../input.js';
import { ALARM_HISTORY_MAX_RECORDS, DESCRIBE_ALARMS_MAX_RECORDS } from '../limits.js';
import { readMetric } from '../metric-input.js';
import { offsetOfToken, pageToken } from '../paging.js';
import { addHistory, deleteAlarms, getAlarm, listAlarms, listHistory, putAlarm, setActionsEnabled, type AlarmScope, type StoredAlarm } from '../tables/alarms-table.js';

const scopeOf = (ctx: RequestContext): AlarmScope => ({ accountId: ctx.accountId, region: ctx.region });

/** The alarm operations: PutMetricAlarm, the Describe calls, SetAlarmState, DeleteAlarms, Enable/DisableAlarmActions. */
export function alarmOperations(deps: MonitoringDeps, evaluateSoon: () => void): Record<string, MonitoringOperation> {
  return {
    async PutMetricAlarm(input, ctx) {
      const definition = readAlarmDefinition(input);
      const tags = structures(input, 'Tags').map((t) => ({ Key: requiredString(t, 'Key'), Value: optionalString(t, 'Value') ?? '' }));
      const scope = scopeOf(ctx);
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const existing = await getAlarm(trx, scope, definition.alarmName);
        const alarm: StoredAlarm = {
          scope,
          definition,
          actionsEnabled: definition.actionsEnabled,
          state: existing?.state ?? 'INSUFFICIENT_DATA',
          stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
          stateReasonData: existing?.stateReasonData ?? null,
          stateUpdatedAt: existing?.stateUpdatedAt ?? now,
          stateTransitionedAt: existing?.stateTransitionedAt ?? now,
          configurationUpdatedAt: now,
          tags: existing && tags.length === 0 ? existing.tags : tags,
        };
        await putAlarm(trx, alarm);
        await addHistory(trx, scope, {
          alarmName: definition.alarmName,
          timestamp: now,
          type: 'ConfigurationUpdate',
          summary: `Alarm "${definition.alarmName}" ${existing ? 'updated' : 'created'}`,
          data: JSON.stringify({ version: '1.0', type: existing ? 'Update' : 'Create', [existing ? 'updatedAlarm' : 'createdAlarm']: metricAlarmView(alarm) }),
        });
      });
      evaluateSoon();
      return undefined;
    },

    async DescribeAlarms(input, ctx) {
      const names = strings(input, 'AlarmNames');
      if (names.length > 100) throw errors.invalidParameter('The collection AlarmNames must not have a size greater than 100.');
      const prefix = optionalString(input, 'AlarmNamePrefix');
      if (prefix !== undefined && names.length > 0) throw errors.combination('AlarmNamePrefix and AlarmNames cannot be specified together.');
      const stateValue = optionalString(input, 'StateValue');
      if (stateValue !== undefined && !isAlarmState(stateValue)) throw errors.invalidValue(stateValue, 'StateValue');
      const actionPrefix = optionalString(input, 'ActionPrefix');
      const types = strings(input, 'AlarmTypes');
      const max = readMaxRecords(input, DESCRIBE_ALARMS_MAX_RECORDS);
      const offset = offsetOfToken(optionalString(input, 'NextToken'));
      const wantMetric = types.length === 0 || types.includes('MetricAlarm');
      const matching = wantMetric
        ? (await listAlarms(deps.db, scopeOf(ctx))).filter(
            (a) =>
              (names.length === 0 || names.includes(a.definition.alarmName)) &&
              (prefix === undefined || a.definition.alarmName.startsWith(prefix)) &&
              (stateValue === undefined || a.state === stateValue) &&
              (actionPrefix === undefined || [...a.definition.alarmActions, ...a.definition.okActions, ...a.definition.insufficientDataActions].some((arn) => arn.startsWith(actionPrefix))),
          )
        : [];
      const page = matching.slice(offset, offset + max);
      return {
        MetricAlarms: page.map(metricAlarmView),
        CompositeAlarms: [],
        NextToken: offset + max < matching.length ? pageToken(offset + max) : undefined,
      };
    },

    async DescribeAlarmsForMetric(input, ctx) {
      const metric = readMetric(input);
      const statistic = optionalString(input, 'Statistic');
      const extended = optionalString(input, 'ExtendedStatistic');
      const period = optionalInteger(input, 'Period');
      const unit = optionalString(input, 'Unit');
      const alarms = (await listAlarms(deps.db, scopeOf(ctx))).filter((a) => {
        const d = a.definition;
        if (!d.metric || d.metric.namespace !== metric.namespace || d.metric.metricName !== metric.metricName) return false;
        if (JSON.stringify(Object.entries(d.metric.dimensions).sort()) !== JSON.stringify(Object.entries(metric.dimensions).sort())) return false;
        return (statistic === undefined || d.statistic === statistic) && (extended === undefined || d.extendedStatistic === extended) && (period === undefined || d.periodS === period) && (unit === undefined || d.unit === unit);
      });
      return { MetricAlarms: alarms.map(metricAlarmView) };
    },

    async DescribeAlarmHistory(input, ctx) {
      const alarmName = optionalString(input, 'AlarmName');
      const type = optionalString(input, 'HistoryItemType');
      if (type !== undefined && !['ConfigurationUpdate', 'StateUpdate', 'Action'].includes(type)) throw errors.invalidValue(type, 'HistoryItemType');
      const scanBy = optionalString(input, 'ScanBy') ?? 'TimestampDescending';
      if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw errors.invalidValue(scanBy, 'ScanBy');
      const types = strings(input, 'AlarmTypes');
      const max = readMaxRecords(input, ALARM_HISTORY_MAX_RECORDS);
      const offset = offsetOfToken(optionalString(input, 'NextToken'));
      const items = types.length > 0 && !types.includes('MetricAlarm')
        ? []
        : await listHistory(deps.db, scopeOf(ctx), {
            alarmName,
            type,
            startMs: optionalDate(input, 'StartDate')?.getTime(),
            endMs: optionalDate(input, 'EndDate')?.getTime(),
            newestFirst: scanBy === 'TimestampDescending',
          });
      const page = items.slice(offset, offset + max);
      return {
        AlarmHistoryItems: page.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(h.timestamp),
          HistoryItemType: h.type,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        NextToken: offset + max < items.length ? pageToken(offset + max) : undefined,
      };
    },

    async SetAlarmState(input, ctx) {
      const name = requiredString(input, 'AlarmName');
      const value = requiredString(input, 'StateValue');
      if (!isAlarmState(value)) throw errors.invalidValue(value, 'StateValue');
      const reason = requiredString(input, 'StateReason');
      const reasonData = optionalString(input, 'StateReasonData');
      if (reasonData !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(reasonData);
        } catch {
          throw errors.invalidFormat('StateReasonData must be a valid JSON Object');
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.invalidFormat('StateReasonData must be a valid JSON Object');
      }
      const scope = scopeOf(ctx);
      if (!(await getAlarm(deps.db, scope, name))) throw errors.alarmNotFound(name);
      await changeAlarmState(deps, scope, name, { value, reason, reasonData: reasonData ?? null, at: deps.clock.now() });
      return undefined;
    },

    async DeleteAlarms(input, ctx) {
      const names = strings(input, 'AlarmNames');
      if (names.length > 100) throw errors.invalidParameter('The collection AlarmNames must not have a size greater than 100.');
      const scope = scopeOf(ctx);
      await deps.db.transaction().execute(async (trx) => {
        // One unknown name deletes nothing, as CloudWatch does.
        for (const name of names) if (!(await getAlarm(trx, scope, name))) throw errors.alarmNotFound(name);
        if (names.length > 0) await deleteAlarms(trx, scope, names);
      });
      return undefined;
    },

    async EnableAlarmActions(input, ctx) {
      await setActionsEnabled(deps.db, scopeOf(ctx), strings(input, 'AlarmNames'), true);
      return undefined;
    },

    async DisableAlarmActions(input, ctx) {
      await setActionsEnabled(deps.db, scopeOf(ctx), strings(input, 'AlarmNames'), false);
      return undefined;
    },
  };
}

function readMaxRecords(input: Record<string, unknown>, limit: number): number {
  const max = optionalInteger(input, 'MaxRecords') ?? limit;
  if (max < 1 || max > limit) throw errors.invalidValue(max, 'MaxRecords');
  return max;
}
