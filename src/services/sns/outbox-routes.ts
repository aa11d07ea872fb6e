import type { InternalRoute } from '../../contracts/internal-route.js';
import type { OutboxTable } from './tables/outbox-table.js';

const OUTBOX_PATH = '/_lambkin/sns/outbox';

/**
 * `GET /_lambkin/sns/outbox` lists what SNS would have sent email, SMS, mobile push and Firehose
 * endpoints, oldest first (`?protocol=`, `?endpoint=`, `?topicArn=` narrow it);
 * `DELETE` empties it. Unsigned, like the other `/_lambkin/` routes: it is a developer's view.
 */
export function outboxRoutes(outbox: OutboxTable): InternalRoute[] {
  return [
    {
      method: 'GET',
      path: OUTBOX_PATH,
      async handle(_rawPath, query) {
        const messages = await outbox.list({
          protocol: query.get('protocol') ?? undefined,
          endpoint: query.get('endpoint') ?? undefined,
          topicArn: query.get('topicArn') ?? undefined,
        });
        const shown = messages.map(({ createdAt, ...m }) => ({ ...m, createdAt: new Date(createdAt).toISOString() }));
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: shown }) };
      },
    },
    {
      method: 'DELETE',
      path: OUTBOX_PATH,
      async handle() {
        await outbox.clear();
        return { status: 204 };
      },
    },
  ];
}
