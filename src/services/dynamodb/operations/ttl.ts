import type { Item } from '../attribute-value.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import { ttlAtOf } from '../item-writer.js';
import { notActive } from './tables.js';
import { requireTable } from '../table-lookup.js';
import { findTableById, updateTableRow } from '../tables/tables.js';
import { itemsAfter, setTtlAt } from '../tables/items.js';
import { ConstraintCheck, record, str } from '../validation.js';

const BACKFILL_BATCH = 500;

export function ttlOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db } = deps;
  return {
    async UpdateTimeToLive(input, ctx) {
      const spec = record(input.TimeToLiveSpecification);
      new ConstraintCheck()
        .required(input.TimeToLiveSpecification, 'timeToLiveSpecification')
        .required(spec?.Enabled, 'timeToLiveSpecification.enabled')
        .required(spec?.AttributeName, 'timeToLiveSpecification.attributeName')
        .throwIfAny();
      const enabled = spec!.Enabled === true;
      const attribute = str(spec!.AttributeName)!;
      if (attribute.length < 1 || attribute.length > 255) {
        throw errors.constraint([`Value '${attribute}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length ${attribute.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 255'}`]);
      }
      await deps.tables.writing(db, async (tx) => {
        const table = await requireTable(tx, input.TableName, ctx);
        if (table.status !== 'ACTIVE' && table.status !== 'UPDATING') throw notActive(table);
        if (enabled && table.ttlEnabled) throw errors.ttlAlreadyEnabled();
        if (!enabled && !table.ttlEnabled) throw errors.ttlAlreadyDisabled();
        if (!enabled && table.ttlAttribute !== attribute) throw errors.ttlAttributeMismatch();
        await updateTableRow(tx, table.id, { ttl_status: enabled ? 'ENABLED' : 'DISABLED', ttl_attribute: enabled ? attribute : null });
        // Every item's expiry under the new setting, so the sweeper finds expired items by index.
        const updated = (await findTableById(tx, table.id))!;
        let after: { hash: string; range: string } | undefined;
        for (;;) {
          const rows = await itemsAfter(tx, table.id, after, BACKFILL_BATCH);
          for (const row of rows) await setTtlAt(tx, table.id, { hash: row.hash_key, range: row.range_key }, ttlAtOf(updated, JSON.parse(row.item) as Item));
          if (rows.length < BACKFILL_BATCH) break;
          after = { hash: rows[rows.length - 1]!.hash_key, range: rows[rows.length - 1]!.range_key };
        }
      });
      return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } };
    },

    async DescribeTimeToLive(input, ctx) {
      const table = await requireTable(db, input.TableName, ctx);
      return {
        TimeToLiveDescription: table.ttlEnabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttlAttribute } : { TimeToLiveStatus: 'DISABLED' },
      };
    },
  };
}
