import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { TELEMETRY_INIT_BACKLOG_MAX } from '../limits.js';
import { parseSubscription, type Subscription } from './telemetry-subscription.js';

export interface TelemetryEvent {
  time: string;
  type: string;
  record: unknown;
}

/** `status` of platform.runtimeDone / platform.report (a dead runtime is a `failure`). */
export type TelemetryStatus = 'success' | 'error' | 'failure' | 'timeout';

interface Subscriber {
  extensionName: string;
  subscription: Subscription;
  buffer: TelemetryEvent[];
  bytes: number;
  timer: NodeJS.Timeout | undefined;
  /** Deliveries go out one after another, so batches arrive in order. */
  sending: Promise<void>;
}

/**
 * Telemetry API subscribers of one environment: platform events, function output and extension
 * output, batched per subscriber's `buffering` and POSTed as a JSON array (HTTP) or written as
 * NDJSON (TCP) to the subscriber's listener. Without subscribers every call returns at once.
 */
export class TelemetryHub {
  private readonly subscribers = new Map<string, Subscriber>();
  /** Events since the start of Init, replayed to subscriptions made during Init. */
  private backlog: TelemetryEvent[] | null = [];
  private keepFunctionLines = false;
  private partialLine = '';
  private closed = false;
  /** How to reach a listener inside the environment when it has its own network namespace. */
  private connectInside: ((port: number) => Promise<Socket>) | undefined;

  constructor(private readonly identity: { functionName: string; functionVersion: string }) {}

  /** The environment has its own network: listeners on its loopback are reached through `connect`. */
  deliverInside(connect: (port: number) => Promise<Socket>): void {
    this.connectInside = connect;
  }

  /** Someone may subscribe during Init: keep function output too, not only platform events. */
  keepInitBacklog(): void {
    if (this.backlog) this.keepFunctionLines = true;
  }

  initDone(): void {
    this.backlog = null;
    this.keepFunctionLines = false;
  }

  /** PUT /2022-07-01/telemetry (or the Logs API's PUT /2020-08-15/logs). Throws TelemetryValidationError. */
  subscribe(extensionName: string, body: unknown, api: 'telemetry' | 'logs'): void {
    const subscription = parseSubscription(body, api);
    const previous = this.subscribers.get(extensionName);
    if (previous) void this.send(previous);
    const subscriber: Subscriber = { extensionName, subscription, buffer: [], bytes: 0, timer: undefined, sending: previous?.sending ?? Promise.resolve() };
    this.subscribers.set(extensionName, subscriber);
    for (const event of this.backlog ?? []) if (wants(subscription, event.type)) this.add(subscriber, event);
    this.emit('platform.telemetrySubscription', { name: extensionName, state: 'Subscribed', types: subscription.types });
  }

  get active(): boolean {
    return this.subscribers.size > 0 || this.backlog !== null;
  }

  emit(type: string, record: unknown): void {
    if (this.closed || (this.subscribers.size === 0 && !this.backlog)) return;
    const event: TelemetryEvent = { time: new Date().toISOString(), type, record };
    if (this.backlog && (type !== 'function' || this.keepFunctionLines) && this.backlog.length < TELEMETRY_INIT_BACKLOG_MAX) this.backlog.push(event);
    for (const subscriber of this.subscribers.values()) if (wants(subscriber.subscription, type)) this.add(subscriber, event);
  }

  /** Runtime stdout/stderr: one `function` event per line. */
  functionOutput(chunk: Buffer): void {
    if (this.subscribers.size === 0 && !this.keepFunctionLines) return;
    const lines = (this.partialLine + chunk.toString('utf8')).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) if (line !== '') this.emit('function', line);
  }

  // ── platform events (records as in the Telemetry API schema 2022-12-13) ─────────────────────

  initStart(initializationType: string, phase: string): void {
    this.emit('platform.initStart', { initializationType, phase, functionName: this.identity.functionName, functionVersion: this.identity.functionVersion });
  }

  initDoneEvents(initializationType: string, phase: string, status: TelemetryStatus, durationMs: number, errorType?: string): void {
    if (!this.active) return;
    this.emit('platform.initRuntimeDone', { initializationType, phase, status, ...(errorType ? { errorType } : {}) });
    this.emit('platform.initReport', { initializationType, phase, status, ...(errorType ? { errorType } : {}), metrics: { durationMs: round2(durationMs) } });
  }

  start(requestId: string, version: string, traceId: string): void {
    if (!this.active) return;
    this.emit('platform.start', { requestId, version, tracing: { type: 'X-Amzn-Trace-Id', value: traceId } });
  }

  runtimeDone(requestId: string, status: TelemetryStatus, durationMs: number, producedBytes: number, errorType?: string): void {
    if (!this.active) return;
    this.emit('platform.runtimeDone', { requestId, status, ...(errorType ? { errorType } : {}), metrics: { durationMs: round2(durationMs), producedBytes } });
  }

  report(
    requestId: string,
    status: TelemetryStatus,
    metrics: { durationMs: number; billedDurationMs: number; memorySizeMB: number; maxMemoryUsedMB: number; initDurationMs?: number },
    errorType?: string,
  ): void {
    if (!this.active) return;
    const m: Record<string, number> = { durationMs: round2(metrics.durationMs), billedDurationMs: metrics.billedDurationMs, memorySizeMB: metrics.memorySizeMB, maxMemoryUsedMB: metrics.maxMemoryUsedMB };
    if (metrics.initDurationMs !== undefined) m.initDurationMs = round2(metrics.initDurationMs);
    this.emit('platform.report', { requestId, metrics: m, status, ...(errorType ? { errorType } : {}) });
  }

  // ── delivery ───────────────────────────────────────────────────────────────────────────────

  /** Sends every buffered batch now (shutdown); resolves when they are delivered or failed. */
  flush(): Promise<void> {
    return Promise.all([...this.subscribers.values()].map((s) => this.send(s))).then(() => undefined);
  }

  close(): void {
    this.closed = true;
    for (const s of this.subscribers.values()) clearTimeout(s.timer);
    this.subscribers.clear();
    this.backlog = null;
  }

  private add(subscriber: Subscriber, event: TelemetryEvent): void {
    subscriber.buffer.push(event);
    subscriber.bytes += JSON.stringify(event).length;
    const { buffering } = subscriber.subscription;
    if (subscriber.buffer.length >= buffering.maxItems || subscriber.bytes >= buffering.maxBytes) void this.send(subscriber);
    else if (!subscriber.timer) {
      subscriber.timer = setTimeout(() => void this.send(subscriber), buffering.timeoutMs);
      subscriber.timer.unref();
    }
  }

  private send(subscriber: Subscriber): Promise<void> {
    clearTimeout(subscriber.timer);
    subscriber.timer = undefined;
    if (subscriber.buffer.length === 0) return subscriber.sending;
    const batch = subscriber.buffer;
    subscriber.buffer = [];
    subscriber.bytes = 0;
    const { destination } = subscriber.subscription;
    const connectInside = this.connectInside;
    subscriber.sending = subscriber.sending
      .then(async () => deliver(destination, batch, connectInside ? await connectInside(destination.port) : undefined))
      .catch(() => undefined);
    return subscriber.sending;
  }
}

function wants(subscription: Subscription, type: string): boolean {
  const category = type.startsWith('platform.') ? 'platform' : type;
  return subscription.types.includes(category);
}

const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * One batch to the subscriber's listener; failures are dropped, as a subscriber that is gone cannot
 * be helped. `opened` is a connection already made inside the environment's network namespace.
 */
function deliver(destination: Subscription['destination'], batch: TelemetryEvent[], opened?: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (destination.protocol === 'TCP') {
      const lines = batch.map((e) => `${JSON.stringify(e)}\n`).join('');
      const socket = opened ?? connect({ host: destination.host, port: destination.port });
      if (opened) socket.end(lines);
      else socket.once('connect', () => socket.end(lines));
      socket.setTimeout(DELIVERY_TIMEOUT_MS, () => socket.destroy());
      socket.on('close', () => resolve());
      socket.on('error', reject);
      return;
    }
    const body = JSON.stringify(batch);
    const req = httpRequest(
      {
        host: destination.host, port: destination.port, path: destination.path, method: 'POST', timeout: DELIVERY_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        ...(opened ? { createConnection: () => opened } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('telemetry delivery timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Milliseconds as the Telemetry API gives them (two decimals); JSON platform lines use the same. */
export function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
