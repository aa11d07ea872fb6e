import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InternalRoute } from '../../contracts/internal-route.js';
import { operatorAccess } from '../operator-access.js';

/** Latency buckets (seconds) from a warm invoke's milliseconds to a cold start's seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface PlatformSources {
  /** Execution environments per state. */
  environments(): Record<string, number>;
  /** Depth of each durable work queue (asynchronous invocations …). */
  queueDepths(): Promise<Record<string, number>>;
  /** Messages per SQS queue ARN, visible and in flight. */
  sqsDepths(): { queue: string; visible: number; inFlight: number }[];
  dataDir: string;
}

/**
 * Lambkin's own Prometheus series (`GET /metrics`, the prom-client text format): API requests by
 * service and operation with errors and latency, environments by state, queue depths, the store's
 * size, and per function invocations, errors, throttles and a duration histogram. Gauges are read
 * when scraped; counters are bumped by the edge per request and by the `AWS/Lambda` recorder once
 * a second, never per invocation.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'service' | 'operation' | 'status'>;
  private readonly requestErrors: Counter<'service' | 'operation'>;
  private readonly latency: Histogram<'service'>;
  private readonly invocations: Counter<'function'>;
  private readonly errors: Counter<'function'>;
  private readonly throttles: Counter<'function'>;
  private readonly duration: Histogram<'function'>;

  constructor(sources: PlatformSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lambkin_process_' });
    this.requests = new Counter({ name: 'lambkin_api_requests_total', help: 'API requests by service, operation and HTTP status', labelNames: ['service', 'operation', 'status'], registers });
    this.requestErrors = new Counter({ name: 'lambkin_api_request_errors_total', help: 'API requests answered with an error (HTTP 4xx/5xx)', labelNames: ['service', 'operation'], registers });
    this.latency = new Histogram({ name: 'lambkin_api_request_duration_seconds', help: 'API request latency by service', labelNames: ['service'], buckets: LATENCY_BUCKETS, registers });
    this.invocations = new Counter({ name: 'lambkin_function_invocations_total', help: 'Function invocations', labelNames: ['function'], registers });
    this.errors = new Counter({ name: 'lambkin_function_errors_total', help: 'Function invocations that failed (error, timeout or crash)', labelNames: ['function'], registers });
    this.throttles = new Counter({ name: 'lambkin_function_throttles_total', help: 'Invocations refused for concurrency', labelNames: ['function'], registers });
    this.duration = new Histogram({ name: 'lambkin_function_duration_seconds', help: 'Function invocation duration', labelNames: ['function'], buckets: LATENCY_BUCKETS, registers });
    new Gauge({
      name: 'lambkin_environments', help: 'Execution environments by state', labelNames: ['state'], registers,
      collect() {
        for (const [state, n] of Object.entries(sources.environments())) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'lambkin_queue_depth', help: 'Items waiting in a durable work queue', labelNames: ['queue'], registers,
      async collect() {
        for (const [queue, n] of Object.entries(await sources.queueDepths())) this.set({ queue }, n);
      },
    });
    new Gauge({
      name: 'lambkin_sqs_messages', help: 'Messages in SQS queues, visible or in flight', labelNames: ['queue', 'state'], registers,
      collect() {
        this.reset();
        for (const q of sources.sqsDepths()) {
          this.set({ queue: q.queue, state: 'visible' }, q.visible);
          this.set({ queue: q.queue, state: 'in_flight' }, q.inFlight);
        }
      },
    });
    new Gauge({
      name: 'lambkin_store_bytes', help: 'Size of the SQLite store (database and write-ahead log)', registers,
      async collect() {
        let bytes = 0;
        for (const file of ['lambkin.db', 'lambkin.db-wal']) bytes += await stat(path.join(sources.dataDir, file)).then((s) => s.size, () => 0);
        this.set(bytes);
      },
    });
  }

  /** One API request answered (the edge calls this once the response is sent). */
  requestDone(service: string, operation: string, status: number, seconds: number): void {
    this.requests.inc({ service, operation, status: String(status) });
    if (status >= 400) this.requestErrors.inc({ service, operation });
    this.latency.observe({ service }, seconds);
  }

  /** A function's invocations of the last second, from the `AWS/Lambda` recorder. */
  functionInvocations(functionName: string, counts: { invocations: number; errors: number; throttles: number; durationsMs: number[] }): void {
    const labels = { function: functionName };
    if (counts.invocations) this.invocations.inc(labels, counts.invocations);
    if (counts.errors) this.errors.inc(labels, counts.errors);
    if (counts.throttles) this.throttles.inc(labels, counts.throttles);
    for (const ms of counts.durationsMs) this.duration.observe(labels, ms / 1000);
  }

  /** `GET /metrics`, behind the operator gate (operator-access.ts): `token` is LAMBKIN_METRICS_TOKEN. */
  route(token: string | undefined): InternalRoute {
    return {
      method: 'GET',
      path: '/metrics',
      handle: async (_rawPath, _query, caller) => {
        const access = await operatorAccess(caller, token);
        if ('refused' in access) return access.refused;
        return { status: 200, headers: { 'content-type': this.registry.contentType }, body: await this.registry.metrics() };
      },
    };
  }
}
