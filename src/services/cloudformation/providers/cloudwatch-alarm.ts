import { DeleteAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { bool, num, str, strList, tagList } from './coerce.js';
import { generatedName, type ProviderContext, type ResourceProvider } from './provider.js';

async function put(ctx: ProviderContext, name: string, props: Record<string, unknown>): Promise<Record<string, unknown>> {
  await ctx.clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      AlarmDescription: str(props.AlarmDescription),
      ActionsEnabled: bool(props.ActionsEnabled),
      AlarmActions: strList(props.AlarmActions),
      OKActions: strList(props.OKActions),
      InsufficientDataActions: strList(props.InsufficientDataActions),
      MetricName: str(props.MetricName),
      Namespace: str(props.Namespace),
      Statistic: str(props.Statistic) as never,
      ExtendedStatistic: str(props.ExtendedStatistic),
      Dimensions: props.Dimensions as never,
      Period: num(props.Period),
      Unit: str(props.Unit) as never,
      EvaluationPeriods: num(props.EvaluationPeriods),
      DatapointsToAlarm: num(props.DatapointsToAlarm),
      Threshold: num(props.Threshold),
      ComparisonOperator: str(props.ComparisonOperator) as never,
      TreatMissingData: str(props.TreatMissingData),
      EvaluateLowSampleCountPercentile: str(props.EvaluateLowSampleCountPercentile),
      Metrics: props.Metrics as never,
      ThresholdMetricId: str(props.ThresholdMetricId),
      Tags: tagList(props.Tags, ctx.stackTags),
    }),
  );
  return { Arn: `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}` };
}

/** A metric alarm: its name is the physical id and `Ref`. */
export const cloudwatchAlarm: ResourceProvider = {
  replaceOn: ['AlarmName'],
  plannedId: (ctx, props) => str(props.AlarmName) ?? generatedName(ctx, 255),
  async create(ctx, props, name) {
    return { physicalId: name!, attributes: await put(ctx, name!, props) };
  },
  async update(ctx, name, props) {
    return { attributes: await put(ctx, name, props) };
  },
  async delete(ctx, name) {
    await ctx.clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
  },
};
