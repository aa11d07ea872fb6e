import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { parseHashKey } from '../hash-keys.js';
import { MAX_PARTITION_KEY_CHARS, MAX_PUT_RECORDS_BYTES, MAX_PUT_RECORDS_ENTRIES, MAX_RECORD_BYTES } from '../limits.js';
import { putRecords, type RecordToPut } from '../record-writer.js';
import { parseSequence } from '../sequence-numbers.js';
import { blob, ConstraintCheck, str, streamKeyOf } from '../validation.js';

/** One entry's members checked (`member` is the path AWS's validator names, e.g. `records.1.member.partitionKey`). */
function entryOf(raw: Record<string, unknown>, check: ConstraintCheck, member: (name: string) => string): RecordToPut | null {
  check.required(raw.Data, member('data')).required(raw.PartitionKey, member('partitionKey'));
  check.length(raw.PartitionKey, member('partitionKey'), 1, MAX_PARTITION_KEY_CHARS).hashKey(raw.ExplicitHashKey, member('explicitHashKey'));
  const data = blob(raw.Data);
  const partitionKey = str(raw.PartitionKey);
  if (!data || partitionKey === undefined) return null;
  const size = data.length + Buffer.byteLength(partitionKey);
  if (size > MAX_RECORD_BYTES) throw errors.recordTooLarge(size, MAX_RECORD_BYTES);
  const explicit = str(raw.ExplicitHashKey);
  let explicitHashKey: bigint | undefined;
  if (explicit !== undefined && /^(0|[1-9]\d{0,38})$/.test(explicit)) {
    const parsed = parseHashKey(explicit);
    if (parsed === null) throw errors.invalidExplicitHashKey(explicit);
    explicitHashKey = parsed;
  }
  return { data, partitionKey, ...(explicitHashKey !== undefined ? { explicitHashKey } : {}) };
}

export function recordOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  return {
    async PutRecord(input, ctx) {
      const check = new ConstraintCheck();
      check.sequenceNumber(input.SequenceNumberForOrdering, 'sequenceNumberForOrdering');
      const entry = entryOf(input, check, (name) => name);
      check.throwIfAny();
      const key = streamKeyOf(input, ctx);
      const ordering = str(input.SequenceNumberForOrdering);
      if (ordering !== undefined && !parseSequence(ordering)) throw errors.invalidSequenceForOrdering(ordering, key.name, key.accountId);
      const [result] = await putRecords(deps, key, [{ ...entry!, ...(ordering !== undefined ? { sequenceNumberForOrdering: ordering } : {}) }]);
      if (!result) throw errors.internal();
      if ('error' in result) throw result.error;
      return { ShardId: result.shardId, SequenceNumber: result.sequenceNumber, EncryptionType: 'NONE' };
    },

    async PutRecords(input, ctx) {
      const check = new ConstraintCheck();
      check.required(input.Records, 'records').listLength(input.Records, 'records', 1, MAX_PUT_RECORDS_ENTRIES);
      check.throwIfAny();
      const raw = Array.isArray(input.Records) ? (input.Records as Array<Record<string, unknown>>) : [];
      const entries = raw.map((r, i) => entryOf(r ?? {}, check, (name) => `records.${i + 1}.member.${name}`));
      check.throwIfAny();
      const total = entries.reduce((sum, e) => sum + e!.data.length + Buffer.byteLength(e!.partitionKey), 0);
      if (total > MAX_PUT_RECORDS_BYTES) throw errors.recordsTooLarge();
      const results = await putRecords(deps, streamKeyOf(input, ctx), entries as RecordToPut[]);
      const failed = results.filter((r) => 'error' in r).length;
      return {
        FailedRecordCount: failed,
        Records: results.map((r) => ('error' in r ? { ErrorCode: r.error.code, ErrorMessage: r.error.message } : { SequenceNumber: r.sequenceNumber, ShardId: r.shardId })),
        EncryptionType: 'NONE',
      };
    },
  };
}
