import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlarmDefinition } from '../src/services/monitoring/alarms/alarm-definition.js';
import { evaluateAlarm } from '../src/services/monitoring/alarms/alarm-evaluation.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const alarm = (over: Partial<AlarmDefinition>): AlarmDefinition => ({
  alarmName: 'a', actionsEnabled: true, okActions: [], alarmActions: [], insufficientDataActions: [],
  evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 10, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'missing', ...over,
});
const periods = (...values: (number | undefined)[]) => values.map((value, i) => ({ timestamp: T0 + i * 60_000, value }));
const stateOf = (over: Partial<AlarmDefinition>, ...values: (number | undefined)[]) => evaluateAlarm(alarm(over), 'OK', periods(...values), T0 + 180_000, 60, 'Average').state;

describe('Alarm evaluation (M out of N, TreatMissingData)', () => {
  test('ALARM when at least DatapointsToAlarm of EvaluationPeriods breach, OK otherwise', () => {
    assert.equal(stateOf({}, 11, 5, 12), 'ALARM');
    assert.equal(stateOf({}, 11, 5, 9), 'OK');
    assert.equal(stateOf({ comparisonOperator: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 3 }, 10, 10, 10), 'ALARM');
    assert.equal(stateOf({ comparisonOperator: 'LessThanThreshold', datapointsToAlarm: 1 }, 11, 12, 9.5), 'ALARM');
  });

  test('missing data: INSUFFICIENT_DATA (missing), unchanged (ignore), breaching or not', () => {
    assert.equal(stateOf({}, undefined, undefined, undefined), 'INSUFFICIENT_DATA');
    assert.equal(stateOf({ treatMissingData: 'ignore' }, undefined, undefined, undefined), undefined);
    assert.equal(stateOf({ treatMissingData: 'breaching' }, undefined, 11, undefined), 'ALARM');
    assert.equal(stateOf({ treatMissingData: 'notBreaching' }, undefined, 11, undefined), 'OK');
    assert.equal(stateOf({ treatMissingData: 'notBreaching' }, undefined, undefined, undefined), 'OK');
    assert.equal(stateOf({}, undefined, 11, 12), 'ALARM');
  });

  test('the reason lists the evaluated points newest first, as CloudWatch words it', () => {
    const result = evaluateAlarm(alarm({}), 'OK', periods(11, 5, 12), T0 + 180_000, 60, 'Average');
    assert.equal(result.reason, 'Threshold Crossed: 2 out of the last 3 datapoints [12.0 (05/01/26 12:02:00), 5.0 (05/01/26 12:01:00), 11.0 (05/01/26 12:00:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).');
    const data = JSON.parse(result.reasonData) as Record<string, unknown>;
    assert.deepEqual(data.recentDatapoints, [11, 5, 12]);
    assert.equal(data.startDate, '2026-01-05T12:00:00.000+0000');
  });
});
