import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import { collectPage } from '../item-pages.js';
import { checkReadMembers, pageAnswer, readTargetOf, selectOf, shapeOf, startRowOf } from '../read-requests.js';
import { compileExpressions } from '../request-expressions.js';
import { requireItemTable } from '../table-lookup.js';
import { scanRows } from '../tables/item-ranges.js';
import { ConstraintCheck, int } from '../validation.js';

const HASH_POINTS = 2 ** 32;
const MAX_TOTAL_SEGMENTS = 1_000_000;

/** A parallel scan's slice of the hash points (segments split them evenly, as AWS splits partitions). */
function segmentOf(input: Record<string, unknown>): { from: number; below: number } | undefined {
  new ConstraintCheck().range(input.Segment, 'segment', 0, MAX_TOTAL_SEGMENTS - 1).range(input.TotalSegments, 'totalSegments', 1, MAX_TOTAL_SEGMENTS).throwIfAny();
  const segment = int(input.Segment);
  const total = int(input.TotalSegments);
  if (segment === undefined && total === undefined) return undefined;
  if (total === undefined) throw errors.segmentWithoutTotal();
  if (segment === undefined) throw errors.totalWithoutSegment();
  if (segment >= total) throw errors.segmentOutOfRange(segment, total);
  return { from: Math.floor((segment * HASH_POINTS) / total), below: Math.floor(((segment + 1) * HASH_POINTS) / total) };
}

export function scanOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db, expressions } = deps;
  return {
    async Scan(input, ctx) {
      checkReadMembers(input);
      const segment = segmentOf(input);
      const compiled = compileExpressions(expressions, input, { filter: 'ScanFilter', projection: true });
      const table = await requireItemTable(deps.tables, db, input.TableName, ctx);
      const target = readTargetOf(table, input.IndexName, input.ConsistentRead);
      const select = selectOf(input, target, compiled);
      const start = startRowOf(input.ExclusiveStartKey, target);
      if (start && segment && (start.hash_point < segment.from || start.hash_point >= segment.below)) {
        throw errors.invalidStartKey('Please use ExclusiveStartKey with correct Segment. TotalSegments: ' + String(input.TotalSegments) + ' Segment: ' + String(input.Segment));
      }
      const page = await collectPage({
        fetch: (after, limit) => scanRows(db, { tableId: table.id, index: target.index?.name, segment }, after, limit),
        start,
        limit: typeof input.Limit === 'number' ? input.Limit : undefined,
        filter: compiled.filter,
        engine: expressions,
        shape: shapeOf(db, target, select, compiled, expressions),
      });
      return pageAnswer(page, target, select, input);
    },
  };
}
