import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { addTree, compile, JAVA_INTERFACES, jarOf, javacAvailable, javaFilesUnder, writeSources } from './support/java-build.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

const INTERFACES = JAVA_INTERFACES;
const javac = javacAvailable;

const SOURCES: Record<string, string> = {
  'example/Order.java': `package example;
import java.util.List;
public class Order {
    private String item;
    private int quantity;
    private double price;
    private List<String> tags;
    public void setItem(String item) { this.item = item; }
    public void setQuantity(int quantity) { this.quantity = quantity; }
    public void setPrice(double price) { this.price = price; }
    public void setTags(List<String> tags) { this.tags = tags; }
    public String getItem() { return item; }
    public int getQuantity() { return quantity; }
    public double getPrice() { return price; }
    public List<String> getTags() { return tags; }
}
`,
  'example/Receipt.java': `package example;
public class Receipt {
    public String item;
    public double total;
    public int tagCount;
    private String note;
    public boolean isBulk() { return total > 100; }
    public String getNote() { return note; }
}
`,
  'example/Pricing.java': `package example;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
public class Pricing implements RequestHandler<Order, Receipt> {
    public Receipt handleRequest(Order order, Context context) {
        context.getLogger().log("pricing " + order.getItem());
        Receipt r = new Receipt();
        r.item = order.getItem();
        r.total = order.getQuantity() * order.getPrice();
        r.tagCount = order.getTags() == null ? -1 : order.getTags().size();
        return r;
    }
}
`,
  'example/Methods.java': `package example;
import com.amazonaws.services.lambda.runtime.Context;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
public class Methods {
    public Map<String, Object> describe(Map<String, Object> event, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", event);
        out.put("requestId", context.getAwsRequestId());
        out.put("functionName", context.getFunctionName());
        out.put("functionVersion", context.getFunctionVersion());
        out.put("arn", context.getInvokedFunctionArn());
        out.put("memory", context.getMemoryLimitInMB());
        out.put("logGroup", context.getLogGroupName());
        out.put("logStream", context.getLogStreamName());
        out.put("remaining", context.getRemainingTimeInMillis());
        out.put("executionEnv", System.getenv("AWS_EXECUTION_ENV"));
        out.put("probe", System.getProperty("lambkin.probe"));
        out.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.put("greeting", lib.Greeter.greet("java"));
        return out;
    }
    public String upper(String text) { return text.toUpperCase(); }
    public static long twice(int n) { return 2L * n; }
    public void fail(Map<String, Object> event) {
        throw new IllegalStateException("boom", new java.io.IOException("disk full"));
    }
    public int sleep(int ms) throws InterruptedException {
        Thread.sleep(ms);
        return ms;
    }
}
`,
  'example/Reverse.java': `package example;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
public class Reverse implements RequestStreamHandler {
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        byte[] bytes = in.readAllBytes();
        for (int i = bytes.length - 1; i >= 0; i--) out.write(bytes[i]);
    }
}
`,
  'example/Broken.java': `package example;
public class Broken {
    static { if (true) throw new IllegalArgumentException("no TABLE configured"); }
    public String handle(String s) { return s; }
}
`,
  'example/Future.java': `package example;
public class Future {
    public String handle(String s) { return s; }
}
`,
};

const GREETER = `package lib;
public class Greeter {
    public static String greet(String who) { return "hello " + who; }
}
`;

/** A copy of aws-lambda-java-core's Context with one more method, for the bundled-core case. */
const BUNDLED_CONTEXT = readFileSyncSafe(path.join(INTERFACES, 'com/amazonaws/services/lambda/runtime/Context.java'))
  .replace('LambdaLogger getLogger();', 'LambdaLogger getLogger();\n\n    default String bundledMarker() { return "function-bundled core"; }');

const USES_BUNDLED = `package example;
import com.amazonaws.services.lambda.runtime.Context;
public class UsesBundled {
    public String handle(String s, Context context) { return context.bundledMarker(); }
}
`;

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}


const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8'));
const tail = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

describe('Java runtimes (java17, java21, java25) on the host JDK', { skip: javac ? false : 'javac is not installed (Debian package openjdk-17-jdk-headless)' }, () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let work: string;
  const packages: Record<string, Uint8Array> = {};

  const invoke = (FunctionName: string, payload: unknown) =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(payload)), LogType: 'Tail' }));

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'lambkin-java-'));
    const src = path.join(work, 'src');
    const classes = path.join(work, 'classes');
    const libClasses = path.join(work, 'lib-classes');
    compile(libClasses, [], writeSources(src, { 'lib/Greeter.java': GREETER }));
    const greeterJar = jarOf(libClasses);
    compile(classes, [INTERFACES, libClasses], writeSources(src, SOURCES));

    // The class file of Future claims major version 65 (Java 21), newer than the host's JDK 17.
    const future = path.join(classes, 'example/Future.class');
    const bytes = readFileSync(future);
    bytes.writeUInt16BE(65, 6);
    writeFileSync(future, bytes);

    // A jar (classes at the root), as `mvn package` makes it.
    packages.jar = new Uint8Array(jarOf(classes));
    // A class folder with its dependencies in lib/, as Gradle's buildZip makes it.
    const folder = new AdmZip();
    addTree(folder, classes);
    folder.addFile('lib/greeter.jar', greeterJar);
    packages.folder = new Uint8Array(folder.toBuffer());

    // A function bundling its own aws-lambda-java-core (here a copy with one more method).
    const coreClasses = path.join(work, 'core-classes');
    const coreSrc = path.join(work, 'core-src');
    const coreRoot = path.join(INTERFACES, 'com/amazonaws/services/lambda/runtime');
    const coreFiles = javaFilesUnder(coreRoot).map((file) => [
      path.relative(INTERFACES, file),
      path.basename(file) === 'Context.java' ? BUNDLED_CONTEXT : readFileSync(file, 'utf8'),
    ]);
    compile(coreClasses, [], writeSources(coreSrc, Object.fromEntries(coreFiles)));
    const bundledClasses = path.join(work, 'bundled-classes');
    compile(bundledClasses, [coreClasses], writeSources(path.join(work, 'bundled-src'), { 'example/UsesBundled.java': USES_BUNDLED }));
    const bundled = new AdmZip();
    addTree(bundled, bundledClasses);
    bundled.addFile('lib/aws-lambda-java-core-1.2.3.jar', jarOf(coreClasses));
    packages.bundled = new Uint8Array(bundled.toBuffer());

    // java17 is past AWS's block date for new functions; the operator switch lets it be created.
    server = await startTestServer({ LAMBKIN_ALLOW_DEPRECATED_RUNTIMES: '1' });
    lambda = server.lambda();
  });
  after(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function create(name: string, handler: string, code: 'jar' | 'folder' | 'bundled', extra: { runtime?: string; timeout?: number; env?: Record<string, string>; memory?: number; json?: boolean } = {}) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: (extra.runtime ?? 'java21') as Runtime, Handler: handler, Role: ROLE,
      Timeout: extra.timeout ?? 15, MemorySize: extra.memory ?? 256,
      Code: { ZipFile: packages[code] }, Environment: extra.env ? { Variables: extra.env } : undefined,
      LoggingConfig: extra.json ? { LogFormat: 'JSON' } : undefined,
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  }

  test('a RequestHandler<Order, Receipt> in a jar: JSON to a POJO by its setters, the POJO back by getters and public fields, nulls left out', async () => {
    await create('java-pojo', 'example.Pricing', 'jar', { memory: 128 });
    const out = await invoke('java-pojo', { item: 'widget', quantity: 3, price: 40.5, tags: 'single', unknownField: true });
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    assert.deepEqual(json(out), { item: 'widget', total: 121.5, tagCount: 1, bulk: true });
    assert.match(tail(out), /^pricing widget$/m);
    // Warm: the same environment answers again.
    const again = await invoke('java-pojo', { item: 'bolt', quantity: 1, price: 2 });
    assert.deepEqual(json(again), { item: 'bolt', total: 2, tagCount: -1, bulk: false });
  });

  test("LogFormat JSON: the logger writes AWS's Java records, errors at level ERROR", async () => {
    await Promise.all([create('java-json-log', 'example.Pricing', 'jar', { json: true }), create('java-json-fail', 'example.Methods::fail', 'folder', { json: true })]);
    const out = await invoke('java-json-log', { item: 'gear', quantity: 1, price: 1 });
    const line = tail(out).split('\n').find((l) => l.includes('pricing gear'));
    assert.ok(line, tail(out));
    const record = JSON.parse(line);
    assert.deepEqual(Object.keys(record), ['timestamp', 'message', 'level', 'AWSRequestId']);
    assert.match(record.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual([record.message, record.level, record.AWSRequestId], ['pricing gear', 'UNDEFINED', out.$metadata.requestId]);
    const failed = await invoke('java-json-fail', {});
    const error = tail(failed).split('\n').map((l) => { try { return JSON.parse(l); } catch { return null; } }).find((r) => r?.level === 'ERROR');
    assert.ok(error, tail(failed));
    assert.match(error.message, /^boom: java\.lang\.IllegalStateException\n/);
  });

  test("pkg.Class::method with Map and Context, lib/*.jar on the class path, the Context's values and AWS's JVM flags", async () => {
    await create('java-describe', 'example.Methods::describe', 'folder', { memory: 512, env: { JAVA_TOOL_OPTIONS: '-Dlambkin.probe=yes -XX:TieredStopAtLevel=4' } });
    const out = await invoke('java-describe', { a: 1, nested: { b: [true, null, 'x'] } });
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    const body = json(out);
    assert.deepEqual(body.event, { a: 1, nested: { b: [true, null, 'x'] } });
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.equal(body.functionName, 'java-describe');
    assert.equal(body.functionVersion, '$LATEST');
    assert.match(body.arn, /^arn:aws:lambda:us-east-1:\d{12}:function:java-describe$/);
    assert.equal(body.memory, 512);
    assert.equal(body.logGroup, '/aws/lambda/java-describe');
    assert.match(body.logStream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(body.remaining > 10_000 && body.remaining <= 15_000, String(body.remaining));
    assert.equal(body.executionEnv, 'AWS_Lambda_java21');
    assert.equal(body.greeting, 'hello java');
    assert.equal(body.probe, 'yes', 'JAVA_TOOL_OPTIONS reaches the JVM');
    const args = body.jvmArgs as string[];
    assert.ok(args.includes(`-XX:MaxHeapSize=${Math.floor(512 * 1024 * 0.85)}k`), args.join(' '));
    assert.ok(args.includes('-XX:+UseSerialGC'), args.join(' '));
    assert.ok(!args.includes('-XX:TieredStopAtLevel=1'), 'the function chose its own tiered compilation level');
    assert.match(tail(out), /Picked up JAVA_TOOL_OPTIONS: -Dlambkin\.probe=yes/);
  });

  test('String and primitive handlers; a stream handler gets the raw bytes', async () => {
    await Promise.all([
      create('java-upper', 'example.Methods::upper', 'folder'),
      create('java-twice', 'example.Methods::twice', 'folder'),
      create('java-reverse', 'example.Reverse', 'jar'),
    ]);
    assert.equal(json(await invoke('java-upper', 'quiet please')), 'QUIET PLEASE');
    assert.equal(json(await invoke('java-twice', 21)), 42);
    const reversed = await lambda.send(new InvokeCommand({ FunctionName: 'java-reverse', Payload: Buffer.from('{"k":"v"}') }));
    assert.equal(Buffer.from(reversed.Payload!).toString(), '}"v":"k"{');
  });

  test("an exception: AWS's Java shape (class name, message, frames as strings) and AWS's log entry", async () => {
    await create('java-fail', 'example.Methods::fail', 'folder');
    const out = await invoke('java-fail', {});
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.deepEqual(Object.keys(body), ['errorMessage', 'errorType', 'stackTrace']);
    assert.equal(body.errorMessage, 'boom');
    assert.equal(body.errorType, 'java.lang.IllegalStateException');
    assert.equal(body.stackTrace[0], 'example.Methods.fail(Methods.java:27)');
    assert.ok(!body.stackTrace.some((f: string) => f.startsWith('lambkin.')), 'no runtime frames');
    assert.match(tail(out), /boom: java\.lang\.IllegalStateException\njava\.lang\.IllegalStateException: boom\n\tat example\.Methods\.fail\(Methods\.java:27\)/);
    assert.match(tail(out), /Caused by: java\.io\.IOException: disk full/);
  });

  test("a handler class that does not exist fails each invoke with AWS's text; so does a missing method", async () => {
    await Promise.all([create('java-noclass', 'example.Nope::handle', 'jar'), create('java-nomethod', 'example.Methods::nothere', 'folder')]);
    const missing = await invoke('java-noclass', {});
    assert.equal(missing.FunctionError, 'Unhandled');
    assert.deepEqual(json(missing), { errorMessage: 'Class not found: example.Nope', errorType: 'java.lang.ClassNotFoundException' });
    assert.match(tail(missing), /Class not found: example\.Nope: java\.lang\.ClassNotFoundException/);
    assert.deepEqual(json(await invoke('java-noclass', {})), { errorMessage: 'Class not found: example.Nope', errorType: 'java.lang.ClassNotFoundException' });
    assert.deepEqual(json(await invoke('java-nomethod', {})), {
      errorMessage: 'No public method named nothere with appropriate method signature found on class example.Methods',
    });
  });

  test('a static initializer that throws is an Init error naming the class', async () => {
    await create('java-broken', 'example.Broken::handle', 'jar');
    const out = await invoke('java-broken', 'x');
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out), { errorMessage: 'Error loading class example.Broken', errorType: 'java.lang.ExceptionInInitializerError' });
    assert.match(tail(out), /Caused by: java\.lang\.IllegalArgumentException: no TABLE configured/);
  });

  test('a class compiled for a newer Java than the host runs fails Init naming both versions', async () => {
    await create('java-future', 'example.Future::handle', 'jar');
    const body = json(await invoke('java-future', 'x'));
    assert.equal(body.errorType, 'java.lang.UnsupportedClassVersionError');
    assert.match(body.errorMessage, /^Error loading class example\.Future: example\.Future is class file version 65\.0 \(Java 21\); this host runs Java \d+ \(class file versions up to \d+\.0\)/);
  });

  test("a function that bundles aws-lambda-java-core gets its own copy of the interfaces", async () => {
    await create('java-bundled', 'example.UsesBundled::handle', 'bundled');
    const out = await invoke('java-bundled', 'x');
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    assert.equal(json(out), 'function-bundled core');
  });

  test('the timeout ends a Java invocation with Sandbox.Timedout', async () => {
    await create('java-sleep', 'example.Methods::sleep', 'folder', { timeout: 1 });
    const out = await invoke('java-sleep', 3000);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.match(json(out).errorMessage, /Task timed out after 1\.00 seconds/);
    assert.equal(json(out).errorType, 'Sandbox.Timedout');
  });

  test('java17 and java25 run too, each with its own AWS_EXECUTION_ENV', async () => {
    await Promise.all([
      create('java-17', 'example.Methods::describe', 'folder', { runtime: 'java17' }),
      create('java-25', 'example.Methods::describe', 'folder', { runtime: 'java25' }),
    ]);
    assert.equal(json(await invoke('java-17', {})).executionEnv, 'AWS_Lambda_java17');
    assert.equal(json(await invoke('java-25', {})).executionEnv, 'AWS_Lambda_java25');
  });
});
