/**
 * Lambkin's Node.js runtime client: runs in the function's process (never imported by the server).
 * Talks Runtime API 2018-06-01 at $AWS_LAMBDA_RUNTIME_API, loads `_HANDLER` from $LAMBDA_TASK_ROOT.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';

type Handler = (event: unknown, context: LambdaContext, callback?: (err?: unknown, result?: unknown) => void) => unknown;
type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  clientContext?: unknown;
  identity?: unknown;
  getRemainingTimeInMillis(): number;
  // Callback-era members: absent on nodejs24.x and later, as on AWS.
  callbackWaitsForEmptyEventLoop?: boolean;
  done?(err?: unknown, result?: unknown): void;
  succeed?(result?: unknown): void;
  fail?(err?: unknown): void;
}

// A spare environment starts before any function is assigned to it (a cold start then skips the
// interpreter's own start): it learns its function's variables from the Runtime API before it
// reads any of them. The server answers once it has put the function's code at /var/task.
if (process.env.LAMBKIN_SPARE === '1') await receiveAssignment();

const api = process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001';
const [apiHost, apiPort] = api.split(':') as [string, string];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const handlerSpec = process.env._HANDLER ?? '';
/**
 * nodejs24.x and later run AWS's promise-only client (aws-lambda-ric 4): a handler's result is awaited
 * whatever it is, callback handlers fail Init, and there are no crash listeners or empty-event-loop
 * wait. Older runtimes follow aws-lambda-ric 3.
 */
const PROMISE_ONLY = Number(/^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV ?? '')?.[1] ?? 0) >= 24;
const CALLBACK_HANDLER_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

let currentRequestId: string | undefined;
/** The request whose answer has not been sent yet: where a crash mid-invocation is reported. */
let inFlight: string | undefined;
/** Set when the first event arrives; until then a crash is reported as the failure of Init. */
let invoked = false;
let crashing = false;
/** What the unanswered invocation does once nothing is left to run (the client's beforeExit listener). */
let onEmptyLoop: (() => void) | undefined;

interface RuntimeReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * The runtime's Runtime API calls (all but a streamed response) over one kept-alive socket, pipelined: the answer to an
 * event and the poll for the next one leave in a single write and reach the server in a single
 * read, without Node's HTTP client objects per call. HTTP/1.1 answers in order, so each call takes
 * the next reply. (One file with the rest: the sandbox mounts the bootstrap alone.)
 */
class RuntimeConnection {
  private socket: net.Socket | undefined;
  private readonly waiting: Array<{ resolve: (reply: RuntimeReply) => void; reject: (err: Error) => void }> = [];
  /** Bytes received and not yet taken, in arrival order (joined only when a reply is complete). */
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** The reply being received, once its head has arrived: where its body ends in the buffered bytes. */
  private head: { status: number; headers: Record<string, string>; bodyStart: number; bodyEnd: number } | undefined;

  call(method: string, urlPath: string, body?: string, headers: Record<string, string> = {}): Promise<RuntimeReply> {
    const socket = this.connect();
    let head = `${method} /2018-06-01${urlPath} HTTP/1.1\r\nHost: ${api}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    if (body !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    socket.write(body === undefined ? `${head}\r\n` : `${head}\r\n${body}`);
    // Held open only while a reply is due, so an otherwise empty event loop can end (callbackWaitsForEmptyEventLoop).
    if (this.waiting.length === 0) socket.ref();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private connect(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect({ host: apiHost, port: Number(apiPort), noDelay: true });
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    const lost = (err?: Error) => {
      if (this.socket === socket) this.socket = undefined;
      this.chunks = [];
      this.bufferedBytes = 0;
      this.head = undefined;
      for (const call of this.waiting.splice(0)) call.reject(err ?? new Error('Runtime API connection closed'));
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
    this.socket = socket;
    return socket;
  }

  private read(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    for (;;) {
      const reply = this.takeReply();
      if (!reply) return;
      const call = this.waiting.shift();
      if (this.waiting.length === 0) this.socket?.unref();
      call?.resolve(reply);
    }
  }

  /** One whole reply off the front of the buffer, or undefined until it has all arrived. */
  private takeReply(): RuntimeReply | undefined {
    if (!this.head) {
      const buffered = this.joined();
      const headEnd = buffered.indexOf(HEAD_END);
      if (headEnd < 0) return undefined;
      const lines = buffered.toString('latin1', 0, headEnd).split('\r\n');
      const headers: Record<string, string> = {};
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i]!;
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      // Lambkin's Runtime API gives every reply a Content-Length (runtime-api/replies.ts, next.ts).
      const bodyStart = headEnd + HEAD_END.length;
      this.head = { status: Number(lines[0]?.split(' ')[1]), headers, bodyStart, bodyEnd: bodyStart + Number(headers['content-length'] ?? 0) };
    }
    // A large event arrives in many chunks: they are joined once, when all are here.
    if (this.bufferedBytes < this.head.bodyEnd) return undefined;
    const buffered = this.joined();
    const { status, headers, bodyStart, bodyEnd } = this.head;
    const body = buffered.subarray(bodyStart, bodyEnd);
    const rest = buffered.subarray(bodyEnd);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.bufferedBytes = rest.length;
    this.head = undefined;
    return { status, headers, body };
  }

  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.bufferedBytes)];
    return this.chunks[0]!;
  }
}

const runtimeApi = new RuntimeConnection();

/** `LoggingConfig.LogFormat` JSON (AWS_LAMBDA_LOG_FORMAT), read once: each console call then writes one JSON object. */
const JSON_LOGS = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';

function patchConsole(): void {
  if (JSON_LOGS) return patchConsoleJson();
  // AWS's client adds console.fatal, in both formats.
  const levels: Array<[string, string]> = [
    ['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE'], ['fatal', 'FATAL'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      // One call is one log event: Lambda splits the stream at "\n", so the client turns inner ones into "\r".
      const line = `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}`;
      process.stdout.write(`${line.replace(/\n/g, '\r')}\n`);
    };
  }
}

/** AWS's client's levels, least severe first; AWS_LAMBDA_LOG_LEVEL silences the methods below it. */
const JSON_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Errors inside a logged value become AWS's error objects, with the error's own properties. */
function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    { errorType: value.constructor?.name ?? 'UnknownError', errorMessage: value.message, stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack },
    value,
  );
}

/**
 * AWS's client in JSON mode: `{timestamp, level, requestId, message}` per call. A single argument is
 * the message as it is (an object stays an object, an error becomes errorType/errorMessage/
 * stackTrace); several are formatted into a string, with the first error's fields alongside.
 */
function jsonLine(level: string, args: unknown[]): string {
  // JSON.stringify leaves out an undefined requestId, as AWS's client does during Init.
  const entry: Record<string, unknown> = { timestamp: new Date().toISOString(), level, requestId: currentRequestId };
  if (args.length === 1) {
    entry.message = args[0];
    try {
      return JSON.stringify(entry, jsonErrorReplacer);
    } catch {
      // Cycles, BigInts and the like: the message as console.log would print it.
      entry.message = format(args[0]);
      return JSON.stringify(entry);
    }
  }
  entry.message = format(...args);
  // aws-lambda-ric 3 looks for the error among all arguments, version 4 only after the first.
  for (const arg of PROMISE_ONLY ? args.slice(1) : args) {
    if (arg instanceof Error) {
      entry.errorType = arg.constructor?.name ?? 'UnknownError';
      entry.errorMessage = arg.message;
      entry.stackTrace = typeof arg.stack === 'string' ? arg.stack.split('\n') : [];
      break;
    }
  }
  return JSON.stringify(entry);
}

function patchConsoleJson(): void {
  const wanted = process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? '';
  // An unknown or missing level lets everything through, as on AWS.
  const min = Math.max(0, JSON_LEVELS.indexOf(wanted));
  const methods: Array<[string, string]> = [
    ['trace', 'TRACE'], ['debug', 'DEBUG'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['fatal', 'FATAL'],
  ];
  const target = console as unknown as Record<string, unknown>;
  for (const [method, level] of methods) {
    // Decided here, once: a silenced method does nothing at all when called.
    target[method] = JSON_LEVELS.indexOf(level) < min
      ? () => {}
      : (...args: unknown[]) => process.stdout.write(`${jsonLine(level, args).replace(/\n/g, '\r')}\n`);
  }
  target.log = target.info;
}

/**
 * The client's own error messages ("Invoke Error", crashes): text puts the label before the
 * formatted error; JSON logs the error alone, at ERROR.
 */
function logError(label: string, err: unknown): void {
  // Version 4 of AWS's client converts with String(), version 3 hands the value to Error itself.
  if (JSON_LOGS) console.error(err instanceof Error ? err : new Error(PROMISE_ONLY ? String(err) : (err as string)));
  else console.error(label, formatted(err));
}

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Error-shaped values count as errors, as in AWS's client (Errors.js `_isError`). */
function isErrorLike(err: unknown): err is Error {
  if (types.isNativeError(err) || err instanceof Error) return true;
  const e = err as Partial<Error> | null | undefined;
  return !!(e && e.name && e.message && e.stack && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string');
}

/**
 * The error body AWS's client posts: errorType is the error's `name` (so a subclass that sets none
 * is "Error"); anything else thrown is `typeof` plus its string form (Errors.js `toRapidResponse`).
 */
function errorPayload(err: unknown): ErrorPayload {
  try {
    if (isErrorLike(err)) {
      return {
        errorType: err.name?.replaceAll('\x7F', '%7F'),
        errorMessage: err.message?.replaceAll('\x7F', '%7F'),
        trace: typeof err.stack === 'string' ? err.stack.replaceAll('\x7F', '%7F').split('\n') : [],
      };
    }
    // aws-lambda-ric 3 calls toString() (an object without one ends up "handled" below); version 4 uses String().
    return { errorType: typeof err, errorMessage: PROMISE_ONLY ? String(err) : (err as { toString(): string }).toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** The JSON the client logs after "Invoke Error" and the crash messages: the error with its own properties (Errors.js `toFormatted`). */
function formatted(err: unknown): string {
  try {
    const error = err instanceof Error ? err : new Error(String(err));
    return `\t${JSON.stringify(error, (_key, value: unknown) => {
      if (!(value instanceof Error)) return value;
      const out: Record<string, unknown> = Object.assign({ errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code }, value as object);
      if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
      return out;
    })}`;
  } catch {
    // A value that cannot be turned into a string or JSON still gets a line.
    return `\t${JSON.stringify(errorPayload(err))}`;
  }
}

/** A user-chosen name may hold anything; only a printable one can travel as a header. */
function errorTypeHeader(payload: ErrorPayload): Record<string, string> {
  return typeof payload.errorType === 'string' && /^[\x20-\x7E]{1,256}$/.test(payload.errorType) ? { 'Lambda-Runtime-Function-Error-Type': payload.errorType } : {};
}

class UnhandledPromiseRejection extends Error {
  constructor(readonly reason: unknown, readonly promise: unknown) {
    super(reason === undefined ? undefined : String(reason));
  }
}
// On the prototype, so the stack's first line reads `Runtime.UnhandledPromiseRejection: …` as on AWS.
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

class RuntimeError extends Error {
  constructor(readonly errorType: string, message: string, readonly original?: unknown) {
    super(message);
    // Named before the stack is first read, so its first line is `Runtime.…: message` as on AWS.
    this.name = errorType;
  }
}

function isModuleType(file: string): boolean {
  let dir = path.dirname(file);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** `path/file.export[.nested]`: split at the first dot after the last slash (spec §2.5). */
async function loadHandler(): Promise<Handler> {
  const slash = handlerSpec.lastIndexOf('/');
  const dot = handlerSpec.indexOf('.', slash + 1);
  if (dot < 0 || handlerSpec.includes('..')) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerSpec}`);
  const modulePath = handlerSpec.slice(0, dot);
  const exportPath = handlerSpec.slice(dot + 1).split('.');
  const base = path.resolve(taskRoot, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
  const moduleName = path.basename(modulePath);
  if (!file) throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${process.argv[1] ?? 'bootstrap'}`);
  let mod: unknown;
  try {
    if (file.endsWith('.mjs') || (file.endsWith('.js') && isModuleType(file))) {
      mod = await import(pathToFileURL(file).href);
    } else {
      mod = createRequire(file)(file);
    }
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`, err);
    // Only a module that cannot be found is an import error; anything else the module's own code
    // throws fails Init as itself (its name is the errorType), as in AWS's client.
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', err instanceof Error ? `${err.name}: ${err.message}` : String(err), err);
    }
    throw err;
  }
  let target: unknown = mod;
  for (const key of exportPath) {
    target = target !== null && target !== undefined ? (target as Record<string, unknown>)[key] : undefined;
    // ESM namespace of a CommonJS module exposes module.exports as `default`.
    if (target === undefined && mod && key === exportPath[0]) {
      const fallback = (mod as { default?: Record<string, unknown> }).default;
      target = fallback ? fallback[key] : undefined;
    }
  }
  if (target === undefined) throw new RuntimeError('Runtime.HandlerNotFound', `${handlerSpec} is undefined or not exported`);
  if (typeof target !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${handlerSpec} is not a function`);
  return target as Handler;
}

async function postInitError(err: unknown): Promise<void> {
  const payload = errorPayload(err instanceof RuntimeError && err.original instanceof Error ? err.original : err);
  if (err instanceof RuntimeError) {
    payload.errorType = err.errorType;
    payload.errorMessage = err.message;
  }
  console.error(`${payload.errorType}: ${payload.errorMessage}`);
  await runtimeApi.call('POST', '/runtime/init/error', JSON.stringify(payload), errorTypeHeader(payload));
}

/**
 * aws-lambda-ric 3: only a returned Promise/thenable is the answer; otherwise the callback (or
 * context.done/succeed/fail) is, and a handler that never calls it answers `null` once the event
 * loop is empty (Runtime.js `_setDefaultExitListener`, CallbackContext.js).
 */
function invokeWithCallback(handler: Handler, event: unknown, context: LambdaContext): Promise<Outcome> {
  return new Promise((resolve) => {
    let completed = false;
    const complete = (outcome: Outcome) => {
      if (completed) {
        console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
        return;
      }
      completed = true;
      resolve(outcome);
    };
    const done = (err?: unknown, result?: unknown) => {
      onEmptyLoop = undefined;
      complete(err !== undefined && err !== null ? { ok: false, error: err } : { ok: true, result });
    };
    const callback = (err?: unknown, result?: unknown) => {
      onEmptyLoop = undefined;
      if (err !== undefined && err !== null) complete({ ok: false, error: err });
      else if (!context.callbackWaitsForEmptyEventLoop) complete({ ok: true, result });
      else onEmptyLoop = () => complete({ ok: true, result });
    };
    // Only the first of callback, done, succeed and fail counts.
    let finished = false;
    const first = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
      if (finished) return;
      finished = true;
      fn(...args);
    };
    const succeed = first((result?: unknown) => done(null, result));
    const fail = first((err?: unknown) => done(err === undefined || err === null ? 'handled' : err));
    const once = first(callback);
    context.callbackWaitsForEmptyEventLoop = true;
    context.done = first(done);
    context.succeed = succeed;
    context.fail = fail;
    onEmptyLoop = () => {
      completed = true;
      resolve({ ok: true, result: null });
    };
    try {
      const returned = handler(event, context, once);
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') (returned as PromiseLike<unknown>).then(succeed, fail);
    } catch (err) {
      once(err);
    }
  });
}

/** aws-lambda-ric 4 (nodejs24.x on): the handler's result, awaited, is the answer. */
async function invokePromise(handler: Handler, event: unknown, context: LambdaContext): Promise<Outcome> {
  try {
    return { ok: true, result: await (handler as (event: unknown, context: LambdaContext) => unknown)(event, context) };
  } catch (error) {
    return { ok: false, error };
  }
}

const invoke = PROMISE_ONLY ? invokePromise : invokeWithCallback;

/**
 * aws-lambda-ric 3 reports an uncaught exception or unhandled rejection as the failure of the
 * invocation in progress (of Init, before the first event), then exits. Between invocations the
 * last one is already answered and AWS would refuse a second answer: it just exits.
 */
function crash(err: unknown, code: number): void {
  if (crashing) return;
  crashing = true;
  onEmptyLoop = undefined;
  const exit = () => process.exit(code);
  const path = !invoked ? '/runtime/init/error' : inFlight !== undefined ? `/runtime/invocation/${encodeURIComponent(inFlight)}/error` : undefined;
  if (!path) return exit();
  const payload = errorPayload(err);
  // A connection of its own: the shared one may hold the long poll for the next event, answered first.
  new RuntimeConnection().call('POST', path, JSON.stringify(payload), errorTypeHeader(payload)).then(exit, exit);
}

/** The marker the AWS runtime client puts on `awslambda.streamifyResponse` handlers. */
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** The `responseStream` a streaming handler writes to: a chunked POST in Runtime API streaming mode. */
class ResponseStream extends Writable {
  private contentType = 'application/octet-stream';
  private req: http.ClientRequest | undefined;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(private readonly urlPath: string) {
    super();
  }

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  private open(): http.ClientRequest {
    if (this.req) return this.req;
    this.req = http.request(
      {
        host: apiHost, port: Number(apiPort), method: 'POST', path: `/2018-06-01${this.urlPath}`, agent,
        headers: {
          'content-type': this.contentType,
          'lambda-runtime-function-response-mode': 'streaming',
          'transfer-encoding': 'chunked',
          trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => this.resolveDone());
      },
    );
    this.req.on('error', () => this.resolveDone());
    return this.req;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.open().write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.open().end(callback);
  }

  /** Ends the stream with error trailers (spec §3.1). */
  fail(err: unknown): void {
    const payload = errorPayload(err);
    const req = this.open();
    req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': payload.errorType, 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(payload)).toString('base64') });
    req.end();
  }
}

function installAwsLambdaGlobal(): void {
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse(handler: Handler): Handler {
      (handler as unknown as Record<symbol, string>)[STREAMING] = 'response';
      return handler;
    },
    HttpResponseStream: {
      from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
        stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
        stream.write(JSON.stringify(prelude));
        stream.write(Buffer.alloc(8));
        return stream;
      },
    },
  };
}

async function invokeStreaming(handler: Handler, event: unknown, context: LambdaContext, base: string): Promise<void> {
  const stream = new ResponseStream(`${base}/response`);
  try {
    await (handler as unknown as (e: unknown, s: ResponseStream, c: LambdaContext) => unknown)(event, stream, context);
    if (!stream.writableEnded) stream.end();
  } catch (err) {
    logError('Invoke Error', err);
    stream.fail(err);
  }
  await stream.done;
}

async function loop(handler: Handler): Promise<void> {
  let polled = runtimeApi.call('GET', '/runtime/invocation/next');
  for (;;) {
    const next = await polled;
    // As AWS's runtime client: without an event from our own Runtime API, stop. (A runtime that
    // outlived its server must not spin against whatever listens on that port now.)
    if (next.status !== 200) {
      process.stderr.write(`Runtime API /runtime/invocation/next answered ${next.status}: exiting\n`);
      process.exit(1);
    }
    const header = (name: string): string | undefined => next.headers[name];
    const requestId = header('lambda-runtime-aws-request-id') ?? '';
    const deadline = Number(header('lambda-runtime-deadline-ms') ?? 0);
    currentRequestId = requestId;
    inFlight = requestId;
    invoked = true;
    const trace = header('lambda-runtime-trace-id');
    if (trace) process.env._X_AMZN_TRACE_ID = trace;
    else delete process.env._X_AMZN_TRACE_ID;
    const clientContext = header('lambda-runtime-client-context');
    const identity = header('lambda-runtime-cognito-identity');
    const context: LambdaContext = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? '',
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
      invokedFunctionArn: header('lambda-runtime-invoked-function-arn') ?? '',
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
      awsRequestId: requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      clientContext: clientContext ? JSON.parse(clientContext) : undefined,
      identity: identity ? JSON.parse(identity) : undefined,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let event: unknown;
    try {
      event = JSON.parse(next.body.toString('utf8'));
    } catch {
      event = next.body.toString('utf8');
    }
    const base = `/runtime/invocation/${encodeURIComponent(requestId)}`;
    if ((handler as unknown as Record<symbol, unknown>)[STREAMING]) {
      // aws-lambda-ric 3's streaming context keeps this flag (and has no done/succeed/fail).
      if (!PROMISE_ONLY) context.callbackWaitsForEmptyEventLoop = true;
      await invokeStreaming(handler, event, context, base);
      if (crashing) return;
      inFlight = undefined;
      polled = runtimeApi.call('GET', '/runtime/invocation/next');
      continue;
    }
    // The answer and the next poll leave together; the answer's 202 arrives before the next event.
    let answered: Promise<RuntimeReply>;
    const outcome = await invoke(handler, event, context);
    // The crash report is the answer; the process exits once it is delivered.
    if (crashing) return;
    inFlight = undefined;
    if (outcome.ok) {
      let body: string;
      try {
        body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
      } catch (err) {
        const payload = { ...errorPayload(err), errorType: 'Runtime.MarshalError', errorMessage: 'Unable to stringify response body' };
        answered = runtimeApi.call('POST', `${base}/error`, JSON.stringify(payload), { 'Lambda-Runtime-Function-Error-Type': 'Runtime.MarshalError' });
        polled = runtimeApi.call('GET', '/runtime/invocation/next');
        await answered;
        continue;
      }
      answered = runtimeApi.call('POST', `${base}/response`, body);
    } else {
      const payload = errorPayload(outcome.error);
      logError('Invoke Error', outcome.error);
      answered = runtimeApi.call('POST', `${base}/error`, JSON.stringify(payload), errorTypeHeader(payload));
    }
    polled = runtimeApi.call('GET', '/runtime/invocation/next');
    await answered;
  }
}

async function main(): Promise<void> {
  patchConsole();
  installAwsLambdaGlobal();
  let handler: Handler;
  try {
    handler = await loadHandler();
    if (PROMISE_ONLY && handler.length >= 3 && !(handler as unknown as Record<symbol, unknown>)[STREAMING]) {
      throw new RuntimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_HANDLER_REMOVED);
    }
  } catch (err) {
    await postInitError(err);
    process.exit(1);
  }
  await loop(handler);
}

// A runtime whose server is gone (a kill -9 leaves a plain-sandbox runtime running) finds its
// output pipes closed: nothing can be reported any more, so stop. Without this, the write error
// is an uncaught exception whose log line hits the same closed pipe, for ever, at full CPU.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => process.exit(1));

// aws-lambda-ric 4 installs none of these: on nodejs24.x a crash is Node's own (exit status 1).
if (!PROMISE_ONLY) {
  process.on('uncaughtException', (err) => {
    logError('Uncaught Exception', err);
    crash(err, 129);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const err = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', err);
    crash(err, 128);
  });
  process.on('beforeExit', () => {
    const run = onEmptyLoop;
    onEmptyLoop = undefined;
    run?.();
  });
}

void main();

async function receiveAssignment(): Promise<void> {
  const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001').split(':') as [string, string];
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.get({ host, port: Number(port), path: '/2018-06-01/runtime/lambkin/assignment', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`no assignment: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
  });
  delete process.env.LAMBKIN_SPARE;
  Object.assign(process.env, JSON.parse(body) as Record<string, string>);
}
