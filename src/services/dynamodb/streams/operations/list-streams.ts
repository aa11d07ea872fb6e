import type { DynamodbStreamsDeps, StreamsOperation } from '../deps.js';
import { DEFAULT_LIST_STREAMS_LIMIT, MAX_LIST_STREAMS_LIMIT } from '../limits.js';
import { StreamsConstraints } from '../validation.js';
import { streamSummaryView } from '../views.js';

/**
 * ListStreams: the readable streams (enabled, or disabled within 24 hours), of one table when
 * TableName is given, in ARN order, a page at a time after ExclusiveStartStreamArn.
 */
export function listStreams(deps: DynamodbStreamsDeps): StreamsOperation {
  return async (input) => {
    const check = new StreamsConstraints(input);
    const tableName = check.string('TableName', { min: 3, max: 255 });
    const limit = check.integer('Limit', { min: 1 }) ?? DEFAULT_LIST_STREAMS_LIMIT;
    const exclusiveStart = check.string('ExclusiveStartStreamArn', { min: 37, max: 1024 });
    check.throwIfFailed();
    const streams = (await deps.catalog.list(tableName)).sort((a, b) => (a.streamArn < b.streamArn ? -1 : a.streamArn > b.streamArn ? 1 : 0));
    const after = exclusiveStart === undefined ? streams : streams.filter((s) => s.streamArn > exclusiveStart);
    const page = after.slice(0, Math.min(limit, MAX_LIST_STREAMS_LIMIT));
    const more = after.length > page.length;
    return { Streams: page.map(streamSummaryView), ...(more ? { LastEvaluatedStreamArn: page[page.length - 1]!.streamArn } : {}) };
  };
}
