import { rpc } from '../api.js';
import { ErrorBox, Loading, Section, useAsync } from '../ui.js';

interface StreamSummary {
  StreamName: string;
  StreamARN: string;
  StreamStatus: string;
  StreamModeDetails?: { StreamMode: string };
  OpenShardCount?: number;
  RetentionPeriodHours?: number;
}

/** Kinesis streams and DynamoDB tables the functions read (with their stream settings). */
export function Streams() {
  const streams = useAsync(async () => {
    const names = (await rpc<{ StreamNames?: string[] }>('kinesis', 'ListStreams', { Limit: 100 })).StreamNames ?? [];
    return Promise.all(names.map(async (n) => (await rpc<{ StreamDescriptionSummary: StreamSummary }>('kinesis', 'DescribeStreamSummary', { StreamName: n })).StreamDescriptionSummary));
  }, []);
  const tables = useAsync(async () => {
    const names = (await rpc<{ TableNames?: string[] }>('dynamodb', 'ListTables', { Limit: 100 })).TableNames ?? [];
    return Promise.all(
      names.map(async (n) => (await rpc<{ Table: { TableName: string; TableStatus: string; ItemCount?: number; KeySchema?: { AttributeName: string; KeyType: string }[]; StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string }; LatestStreamArn?: string } }>('dynamodb', 'DescribeTable', { TableName: n })).Table),
    );
  }, []);
  return (
    <div class="page">
      <h1>Streams and tables</h1>
      <Section title="Kinesis data streams">
        <ErrorBox error={streams.error} />
        <Loading when={streams.loading} />
        {streams.data?.length === 0 ? <p class="muted">No streams.</p> : null}
        <ul class="plain">
          {streams.data?.map((s) => (
            <li key={s.StreamARN}>
              <strong>{s.StreamName}</strong> · {s.StreamStatus} · {s.StreamModeDetails?.StreamMode ?? 'PROVISIONED'} · {s.OpenShardCount ?? '?'} open shards · retention {s.RetentionPeriodHours} h
            </li>
          ))}
        </ul>
      </Section>
      <Section title="DynamoDB tables">
        <ErrorBox error={tables.error} />
        <Loading when={tables.loading} />
        {tables.data?.length === 0 ? <p class="muted">No tables.</p> : null}
        <ul class="plain">
          {tables.data?.map((t) => (
            <li key={t.TableName}>
              <strong>{t.TableName}</strong> · {t.TableStatus} · key {(t.KeySchema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ')} · {t.ItemCount ?? 0} items ·{' '}
              {t.StreamSpecification?.StreamEnabled ? `stream ${t.StreamSpecification.StreamViewType}` : 'no stream'}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
