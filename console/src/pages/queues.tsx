import { useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ErrorBox, Loading, Section, formatTime, href, useAction, useAsync } from '../ui.js';

interface Message {
  MessageId: string;
  Body: string;
  Attributes?: Record<string, string>;
}

export function Queues(props: { selected: string | undefined }) {
  const list = useAsync(() => rpc<{ QueueUrls?: string[] }>('sqs', 'ListQueues', { MaxResults: 1000 }), []);
  const urls = list.data?.QueueUrls ?? [];
  const name = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  const selected = props.selected ? urls.find((u) => name(u) === props.selected) : undefined;
  return (
    <div class="page">
      <h1>Queues</h1>
      <ErrorBox error={list.error} />
      <Loading when={list.loading} />
      <div class="grid2 wide-right">
        <Section title="SQS queues">
          {urls.length === 0 && !list.loading ? <p class="muted">No queues.</p> : null}
          <ul class="plain">
            {urls.map((u) => (
              <li key={u}>
                <a href={href(`/queues/${encodeURIComponent(name(u))}`)} aria-current={u === selected ? 'page' : undefined}>
                  {name(u)}
                </a>
              </li>
            ))}
          </ul>
        </Section>
        {selected ? <QueueDetail url={selected} key={selected} /> : <p class="muted">Choose a queue.</p>}
      </div>
    </div>
  );
}

function QueueDetail(props: { url: string }) {
  const attrs = useAsync(() => rpc<{ Attributes: Record<string, string> }>('sqs', 'GetQueueAttributes', { QueueUrl: props.url, AttributeNames: ['All'] }), [props.url]);
  const [messages, setMessages] = useState<Message[]>();
  const [note, setNote] = useState<string>();
  const action = useAction();
  const a = attrs.data?.Attributes ?? {};

  const peek = () =>
    action.run(async () => {
      // A receive with visibility timeout 0 leaves the messages visible (their receive count grows, as in AWS's console).
      const r = await rpc<{ Messages?: Message[] }>('sqs', 'ReceiveMessage', { QueueUrl: props.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] });
      // With a zero visibility timeout one receive may meet a message twice: show it once.
      const unique = new Map((r.Messages ?? []).map((m) => [m.MessageId, m]));
      setMessages([...unique.values()]);
      attrs.reload();
    });
  const sendMessage = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const body = String(new FormData(form).get('body') ?? '');
    void action.run(async () => {
      const r = await rpc<{ MessageId: string }>('sqs', 'SendMessage', { QueueUrl: props.url, MessageBody: body });
      setNote(`Sent message ${r.MessageId}`);
      form.reset();
      attrs.reload();
    });
  };
  const purge = () =>
    action.run(async () => {
      if (!confirm('Delete every message in this queue?')) return;
      await rpc('sqs', 'PurgeQueue', { QueueUrl: props.url });
      setNote('Purged');
      setMessages([]);
      attrs.reload();
    });
  const redrive = () =>
    action.run(async () => {
      const r = await rpc<{ TaskHandle: string }>('sqs', 'StartMessageMoveTask', { SourceArn: a.QueueArn });
      setNote(`Redrive started (${r.TaskHandle.slice(0, 12)}…): messages go back to their source queues`);
    });

  return (
    <Section
      title={props.url.slice(props.url.lastIndexOf('/') + 1)}
      actions={
        <>
          <button onClick={() => void peek()} disabled={action.busy} data-testid="peek">
            Poll for messages
          </button>
          <button class="secondary" onClick={() => void redrive()} disabled={action.busy} title="For a dead-letter queue: move its messages back">
            Start DLQ redrive
          </button>
          <button class="danger" onClick={() => void purge()} disabled={action.busy}>
            Purge
          </button>
        </>
      }
    >
      <ErrorBox error={attrs.error ?? action.error} />
      {note ? <p class="ok" role="status">{note}</p> : null}
      <dl class="facts-list">
        {['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'VisibilityTimeout', 'MessageRetentionPeriod', 'FifoQueue', 'RedrivePolicy', 'QueueArn'].map((k) =>
          a[k] !== undefined ? (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{a[k]}</dd>
            </div>
          ) : null,
        )}
      </dl>
      <form class="form" onSubmit={sendMessage}>
        <label>
          Message body
          <textarea name="body" rows={3} required data-testid="message-body" />
        </label>
        <button type="submit" disabled={action.busy}>
          Send message
        </button>
      </form>
      {messages ? (
        <table class="data" data-testid="messages">
          <thead>
            <tr>
              <th scope="col">Message id</th>
              <th scope="col">Sent</th>
              <th scope="col">Receives</th>
              <th scope="col">Body</th>
            </tr>
          </thead>
          <tbody>
            {messages.length === 0 ? (
              <tr>
                <td colSpan={4}>No messages available.</td>
              </tr>
            ) : null}
            {messages.map((m) => (
              <tr key={m.MessageId}>
                <td class="mono">{m.MessageId}</td>
                <td>{m.Attributes?.SentTimestamp ? formatTime(Number(m.Attributes.SentTimestamp)) : ''}</td>
                <td class="num">{m.Attributes?.ApproximateReceiveCount}</td>
                <td>
                  <pre class="inline">{m.Body}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}
