import { ApiError, elbv2, lambda, rpc, s3, xmlAll, xmlText } from '../api.js';
import type { FunctionConfig } from '../functions.js';
import { ErrorBox, Loading, Section, useAction, useAsync } from '../ui.js';

interface Mapping {
  UUID: string;
  EventSourceArn?: string;
  State: string;
  BatchSize?: number;
}

/** Everything that points at the function: mappings, its URL, EventBridge rules and S3 notifications. */
export function TriggersTab(props: { fn: FunctionConfig }) {
  const name = props.fn.FunctionName;
  const arn = props.fn.FunctionArn;
  const data = useAsync(async () => {
    const [mappings, url, rules, buckets, targetGroups] = await Promise.all([
      lambda<{ EventSourceMappings: Mapping[] }>('GET', '/2015-03-31/event-source-mappings/', undefined, { FunctionName: name }),
      lambda<{ FunctionUrl: string; AuthType: string }>('GET', `/2021-10-31/functions/${encodeURIComponent(name)}/url`).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }),
      rulesTargeting(arn),
      bucketsNotifying(arn),
      targetGroupsOf(arn),
    ]);
    return { mappings: mappings.EventSourceMappings, url, rules, buckets, targetGroups };
  }, [name]);
  const action = useAction();
  const setMapping = (m: Mapping, enabled: boolean) =>
    action.run(async () => {
      await lambda('PUT', `/2015-03-31/event-source-mappings/${m.UUID}`, { Enabled: enabled });
      data.reload();
    });
  const setRule = (rule: string, enabled: boolean) =>
    action.run(async () => {
      await rpc('events', enabled ? 'EnableRule' : 'DisableRule', { Name: rule });
      data.reload();
    });

  return (
    <>
      <ErrorBox error={data.error ?? action.error} />
      <Loading when={data.loading} />
      <Section title="Event source mappings">
        {data.data?.mappings.length === 0 ? <p class="muted">None.</p> : null}
        <ul class="plain">
          {data.data?.mappings.map((m) => (
            <li key={m.UUID}>
              {m.EventSourceArn} · batch {m.BatchSize} · <strong>{m.State}</strong>{' '}
              <button class="secondary" disabled={action.busy} onClick={() => void setMapping(m, m.State !== 'Enabled')}>
                {m.State === 'Enabled' ? 'Disable' : 'Enable'}
              </button>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Function URL">
        {data.data?.url ? (
          <p>
            <a href={data.data.url.FunctionUrl}>{data.data.url.FunctionUrl}</a> · auth {data.data.url.AuthType}
          </p>
        ) : (
          <p class="muted">None.</p>
        )}
      </Section>
      <Section title="EventBridge rules">
        {data.data?.rules.length === 0 ? <p class="muted">None.</p> : null}
        <ul class="plain">
          {data.data?.rules.map((r) => (
            <li key={r.Name}>
              {r.Name} · {r.ScheduleExpression ?? 'event pattern'} · <strong>{r.State}</strong>{' '}
              <button class="secondary" disabled={action.busy} onClick={() => void setRule(r.Name, r.State !== 'ENABLED')}>
                {r.State === 'ENABLED' ? 'Disable' : 'Enable'}
              </button>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="S3 notifications">
        {data.data?.buckets.length === 0 ? <p class="muted">None.</p> : null}
        <ul class="plain">
          {data.data?.buckets.map((b) => (
            <li key={b.bucket + b.events}>
              s3://{b.bucket} · {b.events}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="ALB target groups">
        {data.data?.targetGroups.length === 0 ? <p class="muted">None.</p> : null}
        <ul class="plain">
          {data.data?.targetGroups.map((t) => (
            <li key={t.arn}>
              {t.name} · {t.health}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

async function rulesTargeting(arn: string): Promise<{ Name: string; State: string; ScheduleExpression?: string }[]> {
  const names = await rpc<{ RuleNames?: string[] }>('events', 'ListRuleNamesByTarget', { TargetArn: arn });
  return Promise.all((names.RuleNames ?? []).map((n) => rpc<{ Name: string; State: string; ScheduleExpression?: string }>('events', 'DescribeRule', { Name: n })));
}

async function bucketsNotifying(arn: string): Promise<{ bucket: string; events: string }[]> {
  const list = await s3('GET', '/');
  const buckets = xmlAll(list, 'Bucket').map((b) => xmlText(b, 'Name'));
  const out: { bucket: string; events: string }[] = [];
  await Promise.all(
    buckets.map(async (bucket) => {
      const doc = await s3('GET', `/${bucket}`, { notification: '' });
      for (const c of xmlAll(doc, 'CloudFunctionConfiguration')) {
        if (xmlText(c, 'CloudFunction') !== arn && !xmlText(c, 'CloudFunction').startsWith(`${arn}:`)) continue;
        out.push({ bucket, events: xmlAll(c, 'Event').map((e) => e.textContent).join(', ') });
      }
    }),
  );
  return out;
}

/** Lambda target groups with this function registered (any qualifier), and its health there. */
async function targetGroupsOf(arn: string): Promise<{ name: string; arn: string; health: string }[]> {
  const groups = xmlAll(await elbv2('DescribeTargetGroups'), 'member').filter((m) => xmlText(m, 'TargetType') === 'lambda' && xmlText(m, 'TargetGroupArn'));
  const out: { name: string; arn: string; health: string }[] = [];
  await Promise.all(
    groups.map(async (g) => {
      const groupArn = xmlText(g, 'TargetGroupArn');
      const health = await elbv2('DescribeTargetHealth', { TargetGroupArn: groupArn });
      for (const d of xmlAll(health, 'member')) {
        const id = xmlText(d, 'Id');
        if (id === arn || id.startsWith(`${arn}:`)) out.push({ name: xmlText(g, 'TargetGroupName'), arn: groupArn, health: xmlText(d, 'State') || 'registered' });
      }
    }),
  );
  return out;
}
