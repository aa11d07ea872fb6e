import { randomUUID } from 'node:crypto';
import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { busNameOf, type Scope } from '../arns.js';
import { storeMatchedEvents } from '../delivery/outbox.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_PUT_EVENTS_BYTES, MAX_PUT_EVENTS_ENTRIES } from '../limits.js';
import { eventTime, type EventEnvelope } from '../model.js';
import { findBus } from '../tables/buses.js';
import { ConstraintCheck } from '../validation.js';

export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  Time?: unknown;
  EventBusName?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** AWS's entry size: 14 bytes for Time, plus Source, DetailType, Detail and each resource in UTF-8. */
export function entrySize(entry: PutEventsEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  for (const field of [entry.Source, entry.DetailType, entry.Detail]) if (typeof field === 'string') size += Buffer.byteLength(field);
  if (Array.isArray(entry.Resources)) for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r);
  return size;
}

function invalidArgument(field: string): EntryResult {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
}

function entryTimeMs(value: unknown, now: number): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return now;
}

/**
 * Validates entries, assigns event ids and stores each event's matched deliveries. Events for a
 * bus that does not exist are accepted and dropped, as AWS does.
 */
export async function publishEvents(deps: EventsDeps, scope: Scope, entries: PutEventsEntry[]): Promise<EntryResult[]> {
  const now = deps.clock.now();
  const results: EntryResult[] = [];
  const byBus = new Map<string, EventEnvelope[]>();
  for (const entry of entries) {
    if (typeof entry.Source !== 'string' || entry.Source === '') results.push(invalidArgument('Source'));
    else if (typeof entry.DetailType !== 'string' || entry.DetailType === '') results.push(invalidArgument('DetailType'));
    else if (typeof entry.Detail !== 'string' || entry.Detail === '') results.push(invalidArgument('Detail'));
    else {
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        detail = undefined;
      }
      if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
        results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
        continue;
      }
      const id = randomUUID();
      const event: EventEnvelope = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: scope.accountId,
        time: eventTime(entryTimeMs(entry.Time, now)),
        region: scope.region,
        resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
        detail,
      };
      const busName = busNameOf(entry.EventBusName);
      byBus.set(busName, [...(byBus.get(busName) ?? []), event]);
      results.push({ EventId: id });
    }
  }
  let stored = 0;
  for (const [busName, events] of byBus) {
    if (!(await findBus(deps.db, scope, busName, now))) continue;
    stored += await storeMatchedEvents(deps.db, scope, busName, events, now);
  }
  if (stored > 0) deps.onDeliveriesStored?.();
  return results;
}

export function putEventsOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  return {
    async PutEvents(input, ctx) {
      const entries = Array.isArray(input.Entries) ? (input.Entries as PutEventsEntry[]) : [];
      const check = new ConstraintCheck().required(input.Entries, 'entries');
      check.listLength(input.Entries, 'entries', 1, MAX_PUT_EVENTS_ENTRIES);
      check.throwIfAny();
      if (entries.reduce((sum, e) => sum + entrySize(e), 0) > MAX_PUT_EVENTS_BYTES) throw errors.entriesTooLarge();
      const results = await publishEvents(deps, { accountId: ctx.accountId, region: ctx.region }, entries);
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },
  };
}
