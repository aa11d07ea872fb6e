import { rpc } from '../api.js';
import { nextTick, parseScheduleExpression } from '../../../src/services/events/schedule/schedule-expression.js';
import { ErrorBox, Loading, Section, formatTime, useAsync } from '../ui.js';

interface Rule {
  Name: string;
  Arn: string;
  State: string;
  ScheduleExpression?: string;
  EventPattern?: string;
  EventBusName?: string;
}

/** The next `count` fire times of a schedule expression, by Lambkin's own schedule code. */
export function nextFireTimes(expression: string, count: number, fromMs: number): number[] | string {
  try {
    const schedule = parseScheduleExpression(expression);
    const out: number[] = [];
    let after = fromMs;
    for (let i = 0; i < count; i++) {
      // A rate counts from when the rule was made, which ListRules does not say: from now here.
      const next = nextTick(schedule, fromMs, after);
      if (next === null) break;
      out.push(next);
      after = next;
    }
    return out;
  } catch {
    return `not a schedule Lambkin understands: ${expression}`;
  }
}

export function Rules() {
  const data = useAsync(async () => {
    const rules = await rpc<{ Rules?: Rule[] }>('events', 'ListRules', { Limit: 100 });
    return Promise.all(
      (rules.Rules ?? []).map(async (r) => ({ rule: r, targets: (await rpc<{ Targets?: { Id: string; Arn: string }[] }>('events', 'ListTargetsByRule', { Rule: r.Name })).Targets ?? [] })),
    );
  }, []);
  const now = Date.now();
  return (
    <div class="page">
      <h1>Rules and schedules</h1>
      <ErrorBox error={data.error} />
      <Loading when={data.loading} />
      {data.data?.length === 0 ? <p class="muted">No rules on the default bus.</p> : null}
      {data.data?.map(({ rule, targets }) => {
        const times = rule.ScheduleExpression ? nextFireTimes(rule.ScheduleExpression, 5, now) : undefined;
        return (
          <Section key={rule.Arn} title={rule.Name}>
            <p>
              <strong>{rule.State}</strong> · {rule.ScheduleExpression ?? <code>{rule.EventPattern}</code>}
            </p>
            {typeof times === 'string' ? <p class="muted">{times}</p> : null}
            {Array.isArray(times) ? (
              <>
                <h3>Next five fire times{rule.State !== 'ENABLED' ? ' (when enabled)' : ''}</h3>
                <ol data-testid="fire-times">
                  {times.map((t) => (
                    <li key={t}>
                      <time dateTime={new Date(t).toISOString()}>{formatTime(t)}</time> ({new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC)
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
            <h3>Targets</h3>
            <ul class="plain">
              {targets.map((t) => (
                <li key={t.Id}>{t.Arn}</li>
              ))}
            </ul>
          </Section>
        );
      })}
    </div>
  );
}
