import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_RETENTION_HOURS, MIN_RETENTION_HOURS } from '../limits.js';
import { requireStream } from '../stream-lookup.js';
import { ConstraintCheck, int, streamKeyOf } from '../validation.js';

/**
 * Increase/DecreaseStreamRetentionPeriod. A shorter period takes effect at once: reads stop
 * returning older records and the retention sweep deletes them.
 */
export function retentionOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  const change = async (input: Record<string, unknown>, ctx: { accountId: string; region: string }, direction: 'increase' | 'decrease') => {
    new ConstraintCheck().required(input.RetentionPeriodHours, 'retentionPeriodHours').throwIfAny();
    const key = streamKeyOf(input, ctx);
    const hours = int(input.RetentionPeriodHours)!;
    if (hours < MIN_RETENTION_HOURS) throw errors.retentionTooShort(hours);
    if (hours > MAX_RETENTION_HOURS) throw errors.retentionTooLong(hours);
    await deps.db.transaction().execute(async (trx) => {
      const stream = await requireStream(trx, key);
      if (stream.status !== 'ACTIVE') throw errors.streamNotActive(stream.name, stream.account_id, stream.status);
      if (direction === 'increase' && hours < stream.retention_hours) throw errors.retentionNotLonger(hours, stream.name, stream.retention_hours);
      if (direction === 'decrease' && hours > stream.retention_hours) throw errors.retentionNotShorter(hours, stream.name, stream.retention_hours);
      await trx.updateTable('kinesis_streams').set({ retention_hours: hours }).where('id', '=', stream.id).execute();
    });
  };
  return {
    async IncreaseStreamRetentionPeriod(input, ctx) {
      await change(input, ctx, 'increase');
    },
    async DecreaseStreamRetentionPeriod(input, ctx) {
      await change(input, ctx, 'decrease');
    },
  };
}
