import { streamArn, streamLabelOf } from './arns.js';
import { errors } from './errors.js';
import type { StreamViewType } from './stream-contract.js';
import type { TableWriteTransaction } from './table-write-transaction.js';
import type { Table } from './table-model.js';
import { disableStreams, insertStream } from './tables/streams.js';
import { updateTableRow } from './tables/tables.js';
import { record } from './validation.js';

const VIEW_TYPES: readonly StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

/** A StreamSpecification member: on with its view type, off, or absent. */
export function readStreamSpecification(value: unknown): { enabled: true; viewType: StreamViewType } | { enabled: false } | undefined {
  const spec = record(value);
  if (!spec) return undefined;
  if (spec.StreamEnabled === true) {
    if (typeof spec.StreamViewType !== 'string') throw errors.streamViewTypeRequired();
    if (!VIEW_TYPES.includes(spec.StreamViewType as StreamViewType)) {
      throw errors.constraint([
        `Value '${spec.StreamViewType}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [${VIEW_TYPES.join(', ')}]`,
      ]);
    }
    return { enabled: true, viewType: spec.StreamViewType as StreamViewType };
  }
  if (spec.StreamViewType !== undefined) throw errors.streamViewTypeWithoutStream();
  return { enabled: false };
}

/**
 * Turns a table's stream on (a new stream with a new label and ARN each time) or off (the stream
 * stays readable for 24 hours), in the caller's transaction.
 */
export async function applyStreamSpecification(
  tx: TableWriteTransaction,
  table: Pick<Table, 'id' | 'name' | 'accountId' | 'region' | 'keySchema' | 'streamViewType'>,
  spec: { enabled: true; viewType: StreamViewType } | { enabled: false },
  now: number,
): Promise<void> {
  if (spec.enabled) {
    if (table.streamViewType) throw errors.streamAlreadyEnabled(table.name);
    const label = streamLabelOf(now);
    const arn = streamArn(table, label);
    await insertStream(tx, { streamArn: arn, tableId: table.id, accountId: table.accountId, region: table.region, tableName: table.name, label, keySchema: table.keySchema, viewType: spec.viewType, createdMs: now });
    await updateTableRow(tx, table.id, { stream_view_type: spec.viewType, stream_arn: arn, stream_label: label });
  } else {
    if (!table.streamViewType) throw errors.streamAlreadyDisabled(table.name);
    await disableStreams(tx, table.id, now);
    await updateTableRow(tx, table.id, { stream_view_type: null });
  }
}
