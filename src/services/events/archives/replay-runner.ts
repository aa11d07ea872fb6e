import type { Kysely } from 'kysely';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Database, EventsReplaysTable } from '../../../store/schema.js';
import { busNameOf } from '../arns.js';
import { enqueueMatched } from '../delivery/outbox.js';
import type { EventEnvelope } from '../model.js';

export type ReplayRow = EventsReplaysTable;

/** Events sent per transaction; the replay's progress is written with them. */
const PAGE = 100;
const LEASE_MS = 30_000;

export interface ReplayDestination {
  Arn: string;
  FilterArns?: string[];
}

/**
 * Sends replays' archived events into their bus, oldest first, each carrying `replay-name` and
 * matched only against the rules the replay names (every rule of the bus when it names none).
 * A replay is held by a lease renewed with each page, so a replay left by a stopped process is
 * taken up again (from its last page: delivery is at least once, as EventBridge's).
 */
export class ReplayRunner {
  private running = false;
  private again = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; logger: Logger; onDeliveriesStored?: () => void }) {
    // A replay whose runner stopped is taken up once its lease runs out: look again that often.
    this.timer = setInterval(() => this.kick(), LEASE_MS);
    this.timer.unref();
  }

  /** Looks for replays to send now (after StartReplay, and at start-up for ones left under way). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.runAll()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'replay runner failed'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  private async runAll(): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now();
      const due = await this.deps.db
        .selectFrom('events_replays')
        .selectAll()
        .where('state', 'in', ['STARTING', 'RUNNING', 'CANCELLING'])
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .limit(1)
        .executeTakeFirst();
      if (!due || this.closed) return;
      if (!(await this.claim(due, now))) continue;
      await this.run(due);
    }
  }

  private async claim(replay: ReplayRow, now: number): Promise<boolean> {
    const result = await this.deps.db
      .updateTable('events_replays')
      .set({ lease_until: now + LEASE_MS, state: replay.state === 'STARTING' ? 'RUNNING' : replay.state })
      .where('account_id', '=', replay.account_id)
      .where('region', '=', replay.region)
      .where('name', '=', replay.name)
      .where('state', '=', replay.state)
      .where((eb) => (replay.lease_until === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', replay.lease_until)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async run(replay: ReplayRow): Promise<void> {
    const scope = { accountId: replay.account_id, region: replay.region };
    const destination = JSON.parse(replay.destination) as ReplayDestination;
    const filter = destination.FilterArns && destination.FilterArns.length > 0 ? new Set(destination.FilterArns) : undefined;
    const busName = busNameOf(destination.Arn);
    let cursor = { time: replay.replayed_through ?? replay.event_start, id: '' };
    for (;;) {
      if (this.closed) return;
      const done = await this.deps.db.transaction().execute(async (trx) => {
        const now = this.deps.clock.now();
        const current = await trx.selectFrom('events_replays').select(['state']).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', replay.name).executeTakeFirst();
        const end = (state: string) =>
          trx.updateTable('events_replays').set({ state, ended_at: now, lease_until: null }).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', replay.name).execute();
        if (!current) return true;
        if (current.state === 'CANCELLING') {
          await end('CANCELLED');
          return true;
        }
        const rows = await trx
          .selectFrom('events_archived_events')
          .select(['event_id', 'event_time', 'envelope'])
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('archive_name', '=', replay.archive_name)
          .where('event_time', '<', replay.event_end)
          .where((eb) => eb.or([eb('event_time', '>', cursor.time), eb.and([eb('event_time', '=', cursor.time), eb('event_id', '>', cursor.id)])]))
          .orderBy('event_time')
          .orderBy('event_id')
          .limit(PAGE)
          .execute();
        if (rows.length === 0) {
          await end('COMPLETED');
          return true;
        }
        const events = rows.map((row) => ({ ...(JSON.parse(row.envelope) as EventEnvelope), 'replay-name': replay.name }));
        const stored = await enqueueMatched(trx, scope, busName, events, now, filter ? (arn) => filter.has(arn) : undefined);
        const last = rows[rows.length - 1]!;
        cursor = { time: Number(last.event_time), id: last.event_id };
        await trx
          .updateTable('events_replays')
          .set({ replayed_through: cursor.time, lease_until: now + LEASE_MS })
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('name', '=', replay.name)
          .execute();
        if (stored > 0) queueMicrotask(() => this.deps.onDeliveriesStored?.());
        return false;
      });
      if (done) return;
    }
  }
}
