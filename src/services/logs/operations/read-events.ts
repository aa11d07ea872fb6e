import { readStreamEvents, scanStreamEvents, type LogEventRecord } from '../../../observability/function-log-reader.js';
import { isLogEventId } from '../../../observability/log-event-ids.js';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_EVENTS_LIMIT, MAX_EVENTS_RESPONSE_BYTES, PUT_EVENT_OVERHEAD_BYTES } from '../limits.js';
import { groupStreams, requireGroup, requireStream } from '../tables.js';
import { checkStreamName, ConstraintCheck, int } from '../validation.js';
import { namedGroup } from '../named-group.js';
import { compilePattern } from '../pattern-input.js';

const FIRST_ID = '0'.repeat(56);

/** GetLogEvents tokens, shaped as AWS's: `f/<event id>/s` reads after the event, `b/<event id>/s` before it. */
function parseStreamToken(token: unknown): { forward: boolean; id: string } | undefined {
  if (token === undefined || token === null) return undefined;
  const m = /^([fb])\/(\d{56})\/s$/.exec(String(token));
  if (!m) throw errors.invalidNextToken();
  return { forward: m[1] === 'f', id: m[2]! };
}

const forwardToken = (id: string) => `f/${id}/s`;
const backwardToken = (id: string) => `b/${id}/s`;

/** Keeps events while under `limit` and the 1 MB answer size (26 bytes overhead per event, as AWS counts). */
function takeWithin(events: LogEventRecord[], limit: number, fromEnd: boolean): LogEventRecord[] {
  const out: LogEventRecord[] = [];
  let bytes = 0;
  const order = fromEnd ? [...events].reverse() : events;
  for (const e of order) {
    if (out.length >= limit) break;
    bytes += Buffer.byteLength(e.message) + PUT_EVENT_OVERHEAD_BYTES;
    if (bytes > MAX_EVENTS_RESPONSE_BYTES && out.length > 0) break;
    out.push(e);
  }
  return fromEnd ? out.reverse() : out;
}

export function readEventOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db } = deps;
  return {
    async GetLogEvents(input, ctx) {
      const stream = checkStreamName(input.logStreamName)!;
      new ConstraintCheck().range(input.limit, 'limit', 1, DEFAULT_EVENTS_LIMIT).range(input.startTime, 'startTime', 0).range(input.endTime, 'endTime', 0).throwIfAny();
      const key = namedGroup(input, ctx);
      const token = parseStreamToken(input.nextToken);
      await requireGroup(db, key);
      const row = await requireStream(db, key, stream);
      const endTime = int(input.endTime);
      // endTime is exclusive here ("equal to or later than this time are not included").
      const range = { startTime: int(input.startTime), endTime: endTime === undefined ? undefined : endTime - 1 };
      const streams = [{ id: row.id, name: stream }];
      const limit = int(input.limit) ?? DEFAULT_EVENTS_LIMIT;
      const forward = token ? token.forward : input.startFromHead === true;
      let events: LogEventRecord[];
      let lastInStream: string | undefined;
      if (forward) {
        // Reading forward stops after a page, however long the stream.
        const taken: LogEventRecord[] = [];
        for await (const e of scanStreamEvents(db, streams, { ...range, afterId: token?.id })) {
          taken.push(e);
          if (taken.length >= limit) break;
        }
        events = takeWithin(taken, limit, false);
      } else {
        const all = await readStreamEvents(db, streams, range);
        lastInStream = all[all.length - 1]?.id;
        events = takeWithin(token ? all.filter((e) => e.id < token.id) : all, limit, true);
      }
      let next: string;
      let previous: string;
      if (events.length > 0) {
        next = events[events.length - 1]!.id;
        previous = events[0]!.id;
      } else {
        // Nothing here: both tokens stay where the reader is, so a client polling forward sees later events.
        const at = token ? (token.forward ? token.id : predecessor(token.id)) : forward ? FIRST_ID : (lastInStream ?? FIRST_ID);
        next = at;
        previous = token && !token.forward ? token.id : at;
      }
      return {
        events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        nextForwardToken: forwardToken(next),
        nextBackwardToken: backwardToken(previous),
      };
    },

    async FilterLogEvents(input, ctx) {
      new ConstraintCheck()
        .range(input.limit, 'limit', 1, DEFAULT_EVENTS_LIMIT)
        .range(input.startTime, 'startTime', 0)
        .range(input.endTime, 'endTime', 0)
        .listLength(input.logStreamNames, 'logStreamNames', 1, 100)
        .throwIfAny();
      const prefix = checkStreamName(input.logStreamNamePrefix, 'logStreamNamePrefix', false);
      const key = namedGroup(input, ctx);
      if (prefix !== undefined && input.logStreamNames !== undefined) throw errors.streamNamesAndPrefix();
      const match = compilePattern(input.filterPattern);
      const after = filterTokenAfter(input.nextToken);
      await requireGroup(db, key);
      let streams = await groupStreams(db, key);
      if (Array.isArray(input.logStreamNames)) {
        const wanted = new Set((input.logStreamNames as unknown[]).map(String));
        streams = streams.filter((s) => wanted.has(s.name));
      }
      if (prefix !== undefined) streams = streams.filter((s) => s.name.startsWith(prefix));
      const limit = int(input.limit) ?? DEFAULT_EVENTS_LIMIT;
      // One more than a page tells whether there is a next one.
      const matching: LogEventRecord[] = [];
      for await (const e of scanStreamEvents(db, streams, { startTime: int(input.startTime), endTime: int(input.endTime), afterId: after })) {
        if (match(e.message) === null) continue;
        matching.push(e);
        if (matching.length > limit) break;
      }
      const events = takeWithin(matching, limit, false);
      const more = events.length < matching.length;
      return {
        events: events.map((e) => ({ logStreamName: e.streamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.id })),
        searchedLogStreams: [],
        ...(more ? { nextToken: filterToken(events[events.length - 1]!.id) } : {}),
      };
    },
  };
}

function predecessor(id: string): string {
  const n = BigInt(id);
  return (n > 0n ? n - 1n : 0n).toString().padStart(56, '0');
}

function filterToken(lastId: string): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

function filterTokenAfter(token: unknown): string | undefined {
  if (token === undefined || token === null) return undefined;
  const text = Buffer.from(String(token), 'base64url').toString('utf8');
  const id = text.startsWith('v1:') ? text.slice(3) : '';
  if (!isLogEventId(id)) throw errors.invalidNextToken();
  return id;
}
