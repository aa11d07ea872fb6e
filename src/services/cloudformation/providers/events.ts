import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { jsonText, str, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

/** Rules on a custom bus are `bus|rule` (their `Ref`), on the default bus the rule name. */
function splitId(id: string): { bus?: string; name: string } {
  const i = id.indexOf('|');
  return i < 0 ? { name: id } : { bus: id.slice(0, i), name: id.slice(i + 1) };
}

async function putRule(ctx: ProviderContext, name: string, props: Record<string, unknown>): Promise<string> {
  const bus = str(props.EventBusName);
  const r = await ctx.clients.events.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: bus,
      EventPattern: jsonText(props.EventPattern),
      ScheduleExpression: str(props.ScheduleExpression),
      State: (str(props.State) ?? 'ENABLED') as never,
      Description: str(props.Description),
      RoleArn: str(props.RoleArn),
    }),
  );
  const existing = await ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }));
  const targets = (props.Targets as Record<string, unknown>[] | undefined) ?? [];
  const keep = new Set(targets.map((t) => String(t.Id)));
  const gone = (existing.Targets ?? []).map((t) => String(t.Id)).filter((id) => !keep.has(id));
  if (gone.length) await ctx.clients.events.send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: gone }));
  if (targets.length) {
    const put = await ctx.clients.events.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: bus,
        Targets: targets.map((t) => ({ ...t, Id: String(t.Id), Arn: String(t.Arn), Input: jsonText(t.Input) })) as never,
      }),
    );
    if (put.FailedEntryCount) throw new Error(put.FailedEntries?.map((e) => e.ErrorMessage).join('; ') ?? 'PutTargets failed');
  }
  return String(r.RuleArn);
}

export const eventsRule: ResourceProvider = {
  replaceOn: ['Name', 'EventBusName'],
  plannedId: (ctx, props) => {
    const name = str(props.Name) ?? generatedName(ctx, 64);
    const bus = str(props.EventBusName);
    return bus && bus !== 'default' ? `${bus.split('/').pop()}|${name}` : name;
  },
  async create(ctx, props, id) {
    const arn = await putRule(ctx, splitId(id!).name, props);
    return { physicalId: id!, attributes: { Arn: arn } };
  },
  async update(ctx, id, props) {
    return { attributes: { Arn: await putRule(ctx, splitId(id).name, props) } };
  },
  async delete(ctx, id) {
    const { bus, name } = splitId(id);
    try {
      const existing = await ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }));
      const ids = (existing.Targets ?? []).map((t) => String(t.Id));
      if (ids.length) await ctx.clients.events.send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: ids }));
    } catch (err) {
      if (!/NotFound/.test((err as Error).name)) throw err;
    }
    await ignoreNotFound(ctx.clients.events.send(new DeleteRuleCommand({ Name: name, EventBusName: bus })));
  },
};

export const eventsEventBus: ResourceProvider = {
  replaceOn: ['Name', 'EventSourceName'],
  async create(ctx, props) {
    const name = String(props.Name);
    const b = await ctx.clients.events.send(new CreateEventBusCommand({ Name: name, Tags: tagList(props.Tags, ctx.stackTags), Description: str(props.Description) }));
    return { physicalId: name, attributes: { Arn: b.EventBusArn, Name: name } };
  },
  async delete(ctx, name) {
    await ignoreNotFound(ctx.clients.events.send(new DeleteEventBusCommand({ Name: name })));
  },
};
