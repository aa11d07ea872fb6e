import { randomUUID } from 'node:crypto';
import { EXTENSIONS_MAX, SHUTDOWN_BUDGET_EXTERNAL_MS } from '../limits.js';
import { TelemetryHub } from './telemetry.js';

export type ExtensionEventType = 'INVOKE' | 'SHUTDOWN';
export type ShutdownReason = 'spindown' | 'timeout' | 'failure';

export interface InvokeEvent {
  eventType: 'INVOKE';
  deadlineMs: number;
  requestId: string;
  invokedFunctionArn: string;
  tracing: { type: 'X-Amzn-Trace-Id'; value: string };
}

export interface ShutdownEvent {
  eventType: 'SHUTDOWN';
  shutdownReason: ShutdownReason;
  deadlineMs: number;
}

export type ExtensionEvent = InvokeEvent | ShutdownEvent;

/** The Extensions API's own errors: always 403 with an `Extension.*` type (RIE agent handlers). */
export class ExtensionApiError extends Error {
  constructor(readonly errorType: string, message: string, readonly status = 403) {
    super(message);
  }
}

export interface Extension {
  id: string;
  name: string;
  external: boolean;
  events: ReadonlySet<ExtensionEventType>;
  queue: ExtensionEvent[];
  waiter: ((event: ExtensionEvent) => void) | undefined;
  /**
   * Owes the platform a `next`: from registration until its first one (Init), and from each event
   * handed to it until the following one (Invoke, Shutdown).
   */
  busy: boolean;
  shutDown: boolean;
  error?: { phase: 'init' | 'exit'; errorType: string };
}

export interface FunctionIdentity {
  functionName: string;
  functionVersion: string;
  handler: string;
  accountId: string;
}

/**
 * The extensions of one environment (spec §3.5): registration during Init, per-extension event
 * queues, and the barriers the environment waits on. An environment with no extensions never
 * waits: `settled` is true at once and every hook returns immediately.
 */
export class ExtensionHub {
  readonly telemetry: TelemetryHub;
  private readonly byId = new Map<string, Extension>();
  private readonly names = new Set<string>();
  /** External extensions launched that have not registered yet. */
  private readonly expected = new Set<string>();
  private registrationOpen = true;
  private closed = false;
  private settleWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(private readonly identity: FunctionIdentity) {
    this.telemetry = new TelemetryHub(identity);
  }

  /** Names of the executables started from `/opt/extensions`; Init waits for each to register. */
  expectExternal(names: readonly string[]): void {
    for (const name of names) this.expected.add(name);
    if (names.length > 0) this.telemetry.keepInitBacklog();
  }

  get hasExtensions(): boolean {
    return this.byId.size > 0 || this.expected.size > 0;
  }

  // ── Extensions API ─────────────────────────────────────────────────────────────────────────

  register(name: string, events: unknown): { id: string; body: Record<string, string> } {
    if (!this.registrationOpen || this.closed) throw new ExtensionApiError('Extension.RegistrationClosed', 'Extension registration closed already');
    if (!name) throw new ExtensionApiError('Extension.InvalidExtensionName', 'Empty extension name');
    const external = this.expected.has(name);
    const wanted = new Set<ExtensionEventType>();
    for (const event of Array.isArray(events) ? events : []) {
      if (event === 'INVOKE') wanted.add('INVOKE');
      // Internal extensions share the runtime process; only external ones get a shutdown phase.
      else if (event === 'SHUTDOWN' && external) wanted.add('SHUTDOWN');
      else if (event === 'SHUTDOWN') throw new ExtensionApiError('Extension.InvalidEventType', 'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension');
      else throw new ExtensionApiError('Extension.InvalidEventType', `${String(event)}: ErrorInvalidEventType`);
    }
    if (this.names.has(name)) throw new ExtensionApiError('Extension.AlreadyRegistered', 'Extension already registered');
    if (this.byId.size >= EXTENSIONS_MAX) throw new ExtensionApiError('Extension.TooManyExtensions', `Extension limit (${EXTENSIONS_MAX}) reached`);
    const id = randomUUID();
    this.byId.set(id, { id, name, external, events: wanted, queue: [], waiter: undefined, busy: true, shutDown: false });
    this.names.add(name);
    this.expected.delete(name);
    this.telemetry.keepInitBacklog();
    this.telemetry.emit('platform.extension', { name, state: 'Ready', events: [...wanted] });
    const { functionName, functionVersion, handler } = this.identity;
    return { id, body: { functionName, functionVersion, handler } };
  }

  /** The extension behind a `Lambda-Extension-Identifier` header, or the 403 AWS answers. */
  lookup(identifier: string | undefined): Extension {
    if (!identifier) throw new ExtensionApiError('Extension.MissingExtensionIdentifier', 'Missing Lambda-Extension-Identifier header');
    const ext = this.byId.get(identifier.toLowerCase());
    if (!ext || this.closed) throw new ExtensionApiError('Extension.UnknownExtensionIdentifier', `Unknown extension ${identifier}`);
    return ext;
  }

  /** `event/next`: the extension is done with its previous event; resolves with the next one. */
  next(identifier: string | undefined, signal: AbortSignal): Promise<ExtensionEvent> {
    const ext = this.lookup(identifier);
    const queued = ext.queue.shift();
    if (queued) {
      // Still busy: it receives an event it has yet to finish.
      return Promise.resolve(queued);
    }
    ext.busy = false;
    this.checkSettled();
    return new Promise((resolve, reject) => {
      ext.waiter = resolve;
      signal.addEventListener('abort', () => {
        if (ext.waiter === resolve) ext.waiter = undefined;
        reject(new Error('extension disconnected'));
      });
    });
  }

  /** `init/error` or `exit/error`: recorded; the extension is expected to exit now. */
  reportError(identifier: string | undefined, phase: 'init' | 'exit', errorType: string): { name: string; duringInit: boolean } {
    const ext = this.lookup(identifier);
    ext.error = { phase, errorType };
    // It will not call `next` again: nothing waits for it any more.
    ext.busy = false;
    ext.shutDown = true;
    this.checkSettled();
    return { name: ext.name, duringInit: this.registrationOpen };
  }

  // ── lifecycle, driven by the environment ───────────────────────────────────────────────────

  /** True when no extension owes a `next` (and every launched one has registered). */
  get settled(): boolean {
    if (this.expected.size > 0) return false;
    for (const ext of this.byId.values()) if (ext.busy && !ext.shutDown) return false;
    return true;
  }

  /** Resolves once `settled`; rejects if the environment goes away first. */
  whenSettled(): Promise<void> {
    if (this.settled) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('environment closed'));
    return new Promise((resolve, reject) => this.settleWaiters.push({ resolve, reject }));
  }

  /** Init is over: registration closes and buffered Init telemetry is no longer kept. */
  initDone(): void {
    this.registrationOpen = false;
    this.telemetry.initDone();
  }

  /** Hands INVOKE to every extension registered for it. */
  invoke(event: Omit<InvokeEvent, 'eventType'>): void {
    if (this.byId.size === 0) return;
    this.broadcast('INVOKE', { eventType: 'INVOKE', ...event });
  }

  /**
   * Sends SHUTDOWN and resolves when every extension registered for it has called `next` again,
   * or when the budget (2,000 ms with external extensions) runs out; null when there is nothing
   * to wait for, so the caller can stop the environment at once.
   */
  shutdown(reason: ShutdownReason): Promise<void> | null {
    this.registrationOpen = false;
    const subscribers = [...this.byId.values()].filter((e) => e.events.has('SHUTDOWN') && !e.shutDown);
    if (subscribers.length === 0 || this.closed) {
      void this.telemetry.flush();
      return null;
    }
    const deadlineMs = Date.now() + SHUTDOWN_BUDGET_EXTERNAL_MS;
    this.broadcast('SHUTDOWN', { eventType: 'SHUTDOWN', shutdownReason: reason, deadlineMs });
    void this.telemetry.flush();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SHUTDOWN_BUDGET_EXTERNAL_MS);
      this.whenSettled().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => undefined,
      );
    }).then(() => {
      for (const ext of subscribers) ext.shutDown = true;
    });
  }

  /** The environment is gone: pending waits fail, further calls are refused. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const w of waiters) w.reject(new Error('environment closed'));
    this.telemetry.close();
  }

  private broadcast(type: ExtensionEventType, event: ExtensionEvent): void {
    for (const ext of this.byId.values()) {
      if (!ext.events.has(type) || ext.shutDown) continue;
      ext.busy = true;
      const waiter = ext.waiter;
      if (waiter) {
        ext.waiter = undefined;
        waiter(event);
      } else {
        ext.queue.push(event);
      }
    }
  }

  private checkSettled(): void {
    if (this.settleWaiters.length === 0 || !this.settled) return;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const w of waiters) w.resolve();
  }
}
