import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import { isPostgres, type Store } from '../database.js';
import { QUEUE_CHANNEL, queuedWorkOf, wakeDrains } from '../queue/wakes.js';

const CHANNEL = 'lambkin';
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD = 7_000;

type Handler = (key: string) => void;

/**
 * News one node's writes hold for the others: "function X changed" (drop cached configuration),
 * "async events queued" (lease now instead of at the next poll: store/queue/wakes.ts). On
 * PostgreSQL each is a NOTIFY that every node LISTENs to on a connection of its own; a node skips its own (it
 * acted already, synchronously). On SQLite there is one node, and `publish` only tells this one's
 * handlers nothing (they ran in the writer already). Delivery is best effort, as NOTIFY is: a
 * node whose listening connection drops re-listens and drops every cache it holds, since it may
 * have missed news meanwhile.
 */
export class ClusterSignals {
  private readonly handlers = new Map<string, Handler[]>();
  private readonly resetHandlers: Array<() => void> = [];
  private client: pg.Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly batched = new Set<string>();

  constructor(
    private readonly db: Store,
    private readonly logger: Logger,
    /** The node's id: notifications it sent come back to it and are skipped. */
    private readonly origin: string,
    private readonly url?: string,
  ) {}

  /** Starts listening (PostgreSQL); resolves once LISTEN is in place. */
  async open(): Promise<void> {
    if (!this.url || !isPostgres(this.db)) return;
    await this.connect();
  }

  /** Runs `handler` with each key another node publishes on `topic`. */
  on(topic: string, handler: Handler): void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
  }

  /** Runs `handler` when news may have been missed (the listening connection was lost). */
  onReset(handler: () => void): void {
    this.resetHandlers.push(handler);
  }

  /** Tells the other nodes; never fails the caller (a lost notice costs a cache its freshness). */
  publish(topic: string, key = ''): void {
    if (!this.url || this.closed) return;
    const payload = JSON.stringify({ o: this.origin, t: topic, k: key });
    if (payload.length > MAX_PAYLOAD) return;
    sql`select pg_notify(${CHANNEL}, ${payload})`.execute(this.db).catch((err: unknown) => this.logger.warn({ err, topic }, 'cluster notification not sent'));
  }

  /** `publish`, but a topic and key published several times in one turn of the event loop go once. */
  publishOnce(topic: string, key = ''): void {
    if (!this.url || this.closed) return;
    const id = `${topic}\n${key}`;
    if (this.batched.size === 0) setImmediate(() => {
      const batch = [...this.batched];
      this.batched.clear();
      for (const entry of batch) {
        const at = entry.indexOf('\n');
        this.publish(entry.slice(0, at), entry.slice(at + 1));
      }
    });
    this.batched.add(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel === QUEUE_CHANNEL) {
        const table = msg.payload ? queuedWorkOf(msg.payload) : null;
        if (table) wakeDrains(table);
      } else {
        this.dispatch(msg.payload);
      }
    });
    client.on('error', (err) => {
      if (this.client !== client) return;
      this.logger.warn({ err }, 'cluster notification connection lost');
      this.reconnectLater();
    });
    client.on('end', () => {
      if (this.client === client) this.reconnectLater();
    });
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    await client.query(`listen ${QUEUE_CHANNEL}`);
    this.client = client;
  }

  private reconnectLater(): void {
    if (this.closed || this.reconnectTimer) return;
    this.client = undefined;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect()
        .then(() => {
          wakeDrains();
          for (const reset of this.resetHandlers) reset();
        })
        .catch(() => this.reconnectLater());
    }, 1_000);
    this.reconnectTimer.unref();
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    let message: { o: string; t: string; k: string };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return;
    }
    if (message.o === this.origin) return;
    for (const handler of this.handlers.get(message.t) ?? []) {
      try {
        handler(message.k);
      } catch (err) {
        this.logger.warn({ err, topic: message.t }, 'cluster notification handler failed');
      }
    }
  }
}
