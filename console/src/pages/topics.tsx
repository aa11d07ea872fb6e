import { sns, xmlAll, xmlText } from '../api.js';
import { ErrorBox, Loading, Section, useAsync } from '../ui.js';

export function Topics() {
  const data = useAsync(async () => {
    const topics = xmlAll(await sns('ListTopics'), 'TopicArn').map((t) => t.textContent ?? '');
    return Promise.all(
      topics.map(async (arn) => ({
        arn,
        subscriptions: xmlAll(await sns('ListSubscriptionsByTopic', { TopicArn: arn }), 'member').map((m) => ({
          protocol: xmlText(m, 'Protocol'),
          endpoint: xmlText(m, 'Endpoint'),
          arn: xmlText(m, 'SubscriptionArn'),
        })),
      })),
    );
  }, []);
  return (
    <div class="page">
      <h1>Topics</h1>
      <ErrorBox error={data.error} />
      <Loading when={data.loading} />
      {data.data?.length === 0 ? <p class="muted">No topics.</p> : null}
      {data.data?.map((t) => (
        <Section key={t.arn} title={t.arn.slice(t.arn.lastIndexOf(':') + 1)}>
          <p class="mono muted">{t.arn}</p>
          {t.subscriptions.length === 0 ? <p class="muted">No subscriptions.</p> : null}
          <ul class="plain">
            {t.subscriptions.map((s) => (
              <li key={s.arn}>
                {s.protocol} → {s.endpoint} {s.arn === 'PendingConfirmation' ? '(pending confirmation)' : ''}
              </li>
            ))}
          </ul>
        </Section>
      ))}
    </div>
  );
}
