import { randomInt } from 'node:crypto';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_EVENT_AGE_MS, MAX_EVENT_FUTURE_MS, MAX_EVENTS_PER_PUT, MAX_PUT_BATCH_BYTES, MAX_PUT_SPAN_MS, PUT_EVENT_OVERHEAD_BYTES } from '../limits.js';
import { requireGroup, requireStream } from '../tables.js';
import { checkGroupName, checkStreamName, ConstraintCheck } from '../validation.js';
import { groupKey } from '../named-group.js';

const DAY_MS = 86_400_000;

interface InputEvent {
  timestamp: number;
  message: string;
}

function checkEvents(value: unknown): InputEvent[] {
  const check = new ConstraintCheck().required(value, 'logEvents').listLength(value, 'logEvents', 1, MAX_EVENTS_PER_PUT);
  check.throwIfAny();
  const events = value as Array<Record<string, unknown>>;
  events.forEach((e, i) => {
    check.required(e?.timestamp, `logEvents.${i + 1}.member.timestamp`).required(e?.message, `logEvents.${i + 1}.member.message`);
    check.length(e?.message, `logEvents.${i + 1}.member.message`, 1, Number.MAX_SAFE_INTEGER).range(e?.timestamp, `logEvents.${i + 1}.member.timestamp`, 0);
  });
  check.throwIfAny();
  return events.map((e) => ({ timestamp: Number(e.timestamp), message: String(e.message) }));
}

/**
 * PutLogEvents: the batch rules (chronological, at most 24 hours, 1 MB counting 26 bytes per
 * event), then events older than 14 days or the group's retention, or more than 2 hours ahead,
 * are left out and reported in `rejectedLogEventsInfo`; the rest are stored through the one
 * log writer, which also feeds subscription and metric filters.
 */
export function putEventOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db, clock, logs } = deps;
  return {
    async PutLogEvents(input, ctx) {
      const group = checkGroupName(input.logGroupName)!;
      const stream = checkStreamName(input.logStreamName)!;
      const events = checkEvents(input.logEvents);
      const key = groupKey(ctx, group);
      const row = await requireGroup(db, key);
      await requireStream(db, key, stream);
      let bytes = 0;
      for (let i = 0; i < events.length; i++) {
        if (i > 0 && events[i]!.timestamp < events[i - 1]!.timestamp) throw errors.notChronological();
        bytes += Buffer.byteLength(events[i]!.message) + PUT_EVENT_OVERHEAD_BYTES;
      }
      if (bytes > MAX_PUT_BATCH_BYTES) throw errors.batchTooLarge(bytes, MAX_PUT_BATCH_BYTES);

      const now = clock.now();
      const rejected: Record<string, number> = {};
      const retentionCutoff = row.retention_in_days === null ? -Infinity : now - row.retention_in_days * DAY_MS;
      let first = 0;
      let end = events.length;
      while (first < end && events[first]!.timestamp < now - MAX_EVENT_AGE_MS) first++;
      if (first > 0) rejected.tooOldLogEventEndIndex = first - 1;
      let expired = first;
      while (expired < end && events[expired]!.timestamp < retentionCutoff) expired++;
      if (expired > first) rejected.expiredLogEventEndIndex = expired - 1;
      while (end > expired && events[end - 1]!.timestamp > now + MAX_EVENT_FUTURE_MS) end--;
      if (end < events.length) rejected.tooNewLogEventStartIndex = end;

      // The 24-hour rule counts only events within 14 days back and 2 hours ahead.
      const inWindow = events.slice(first, end);
      if (inWindow.length > 1 && inWindow[inWindow.length - 1]!.timestamp - inWindow[0]!.timestamp > MAX_PUT_SPAN_MS) throw errors.spanTooLong();
      const accepted = events.slice(expired, end);
      if (accepted.length > 0) {
        await logs.put(accepted.map((e) => ({ accountId: key.accountId, region: key.region, group, stream, timestamp: e.timestamp, message: e.message })));
      }
      // Sequence tokens have been ignored since 2023; AWS still returns one.
      const nextSequenceToken = `${now}`.padStart(20, '0') + String(randomInt(1e9)).padStart(36, '0');
      return { nextSequenceToken, ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}) };
    },
  };
}
