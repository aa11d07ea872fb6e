import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { addTree, compile, JAVA_INTERFACES, jarOf, javacAvailable, javaFilesUnder, writeSources } from './support/java-build.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

/**
 * aws-lambda-java-events classes map as AWS's serializer maps them. No Maven repository is
 * reachable here, so the functions carry source-compatible stand-ins of those classes (and of
 * Joda-Time's DateTime) in lib/, compiled from test/java-events/ (see its README).
 */
const STAND_INS = fileURLToPath(new URL('../../test/java-events', import.meta.url));

const HANDLERS = {
  'example/Events.java': `package example;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.*;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import java.nio.charset.StandardCharsets;
import java.util.*;
public class Events {
    static String text(java.nio.ByteBuffer b) { return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString(); }
    public Map<String, Object> sqs(SQSEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        SQSEvent.SQSMessage m = event.getRecords().get(0);
        out.put("count", event.getRecords().size());
        out.put("arn", m.getEventSourceArn());
        out.put("body", m.getBody());
        out.put("receiveCount", m.getAttributes().get("ApproximateReceiveCount"));
        out.put("stringAttribute", m.getMessageAttributes().get("color").getStringValue());
        out.put("binaryAttribute", text(m.getMessageAttributes().get("blob").getBinaryValue()));
        return out;
    }
    public Map<String, Object> kinesis(KinesisEvent event) {
        KinesisEvent.KinesisEventRecord r = event.getRecords().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arn", r.getEventSourceARN());
        out.put("data", text(r.getKinesis().getData()));
        out.put("arrivalMillis", r.getKinesis().getApproximateArrivalTimestamp().getTime());
        out.put("encryption", r.getKinesis().getEncryptionType());
        out.put("schema", r.getKinesis().getKinesisSchemaVersion());
        return out;
    }
    public Map<String, Object> dynamodb(DynamodbEvent event) {
        DynamodbEvent.DynamodbStreamRecord r = event.getRecords().get(0);
        Map<String, AttributeValue> image = r.getDynamodb().getNewImage();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventName", r.getEventName());
        out.put("arn", r.getEventSourceARN());
        out.put("key", r.getDynamodb().getKeys().get("id").getN());
        out.put("name", image.get("name").getS());
        out.put("active", image.get("active").getBOOL());
        out.put("tags", image.get("tags").getSS());
        out.put("nested", image.get("address").getM().get("city").getS());
        out.put("list", image.get("scores").getL().get(1).getN());
        out.put("missing", image.get("missing").isNULL());
        out.put("binary", text(image.get("blob").getB()));
        out.put("sizeBytes", r.getDynamodb().getSizeBytes());
        out.put("viewType", r.getDynamodb().getStreamViewType());
        out.put("createdMillis", r.getDynamodb().getApproximateCreationDateTime().getTime());
        return out;
    }
    public Map<String, Object> scheduled(ScheduledEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("detailType", event.getDetailType());
        out.put("timeMillis", event.getTime().getMillis());
        out.put("resources", event.getResources());
        out.put("detail", event.getDetail());
        return out;
    }
    public Map<String, Object> s3(S3Event event) {
        S3EventNotificationRecord r = event.getRecords().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventName", r.getEventName());
        out.put("region", r.getAwsRegion());
        out.put("timeMillis", r.getEventTime().getMillis());
        out.put("bucket", r.getS3().getBucket().getName());
        out.put("key", r.getS3().getObject().getKey());
        out.put("size", r.getS3().getObject().getSizeAsLong());
        out.put("eTag", r.getS3().getObject().geteTag());
        out.put("versionId", r.getS3().getObject().getVersionId());
        out.put("requestId", r.getResponseElements().getxAmzRequestId());
        out.put("sourceIp", r.getRequestParameters().getSourceIPAddress());
        return out;
    }
    public Map<String, Object> http(APIGatewayV2HTTPEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rawPath", event.getRawPath());
        out.put("method", event.getRequestContext().getHttp().getMethod());
        out.put("timeEpoch", event.getRequestContext().getTimeEpoch());
        out.put("header", event.getHeaders().get("x-trace"));
        out.put("cookies", event.getCookies());
        out.put("base64", event.isBase64Encoded());
        return out;
    }
}
`,
  'example/Levels.java': `package example;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
public class Levels {
    public String handle(String tag, Context context) {
        LambdaLogger logger = context.getLogger();
        logger.log(tag + " trace", LogLevel.TRACE);
        logger.log(tag + " debug", LogLevel.DEBUG);
        logger.log(tag + " info", LogLevel.INFO);
        logger.log(tag + " warn", LogLevel.WARN);
        logger.log(tag + " error", LogLevel.ERROR);
        logger.log(tag + " undefined");
        logger.log((tag + " bytes at debug").getBytes(StandardCharsets.UTF_8), LogLevel.DEBUG);
        return tag;
    }
}
`,
};

const ARRIVAL_SECONDS = 1_700_000_000.25;

describe('aws-lambda-java-events classes map as AWS maps them; LambdaLogger levels', { skip: javacAvailable ? false : 'javac is not installed (Debian package openjdk-17-jdk-headless)' }, () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let work: string;
  let code: Uint8Array;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'lambkin-java-events-'));
    const standIns = path.join(work, 'stand-ins');
    compile(standIns, [], javaFilesUnder(STAND_INS));
    const classes = path.join(work, 'classes');
    compile(classes, [JAVA_INTERFACES, standIns], writeSources(path.join(work, 'src'), HANDLERS));
    const zip = new AdmZip();
    addTree(zip, classes);
    zip.addFile('lib/aws-lambda-java-events-stand-ins.jar', jarOf(standIns));
    code = new Uint8Array(zip.toBuffer());
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function create(name: string, handler: string, logging?: { LogFormat: 'JSON' | 'Text'; ApplicationLogLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL' }) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'java21', Handler: handler, Role: ROLE, Timeout: 15, MemorySize: 256, Code: { ZipFile: code },
      ...(logging ? { LoggingConfig: logging } : {}),
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  }

  async function invoke(name: string, event: unknown): Promise<{ body: Record<string, unknown>; log: string }> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
    const body = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, unknown>;
    assert.equal(out.FunctionError, undefined, JSON.stringify(body));
    return { body, log: Buffer.from(out.LogResult ?? '', 'base64').toString() };
  }

  test(`SQSEvent: "Records" and "eventSourceARN" by the mixins' names, binary attributes from base64`, async () => {
    await create('java-sqs', 'example.Events::sqs');
    const { body } = await invoke('java-sqs', {
      Records: [{
        messageId: 'm-1', receiptHandle: 'rh', body: 'hello queue', md5OfBody: 'x', eventSource: 'aws:sqs', awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' },
        messageAttributes: {
          color: { stringValue: 'blue', stringListValues: [], binaryListValues: [], dataType: 'String' },
          blob: { binaryValue: Buffer.from('bytes!').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
      }],
    });
    assert.deepEqual(body, { count: 1, arn: 'arn:aws:sqs:us-east-1:000000000000:orders', body: 'hello queue', receiveCount: '1', stringAttribute: 'blue', binaryAttribute: 'bytes!' });
  });

  test('KinesisEvent: data from base64, approximateArrivalTimestamp from epoch seconds, encryptionType the String setter', async () => {
    await create('java-kinesis', 'example.Events::kinesis');
    const { body } = await invoke('java-kinesis', {
      Records: [{
        kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'k', sequenceNumber: '4954', data: Buffer.from('stream data').toString('base64'), approximateArrivalTimestamp: ARRIVAL_SECONDS, encryptionType: 'NONE' },
        eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: 'shardId-000000000000:4954', eventName: 'aws:kinesis:record',
        invokeIdentityArn: ROLE, awsRegion: 'us-east-1', eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
      }],
    });
    assert.deepEqual(body, { arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks', data: 'stream data', arrivalMillis: 1_700_000_000_250, encryption: 'NONE', schema: '1.0' });
  });

  test(`DynamodbEvent: StreamRecord's "Keys"/"NewImage"/"SizeBytes" and AttributeValue's S, N, B, BOOL, SS, M, L, NULL`, async () => {
    await create('java-dynamodb', 'example.Events::dynamodb');
    const { body } = await invoke('java-dynamodb', {
      Records: [{
        eventID: '1', eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/people/stream/2026-01-01T00:00:00.000',
        dynamodb: {
          ApproximateCreationDateTime: 1_700_000_000, Keys: { id: { N: '42' } }, SequenceNumber: '111', SizeBytes: 26, StreamViewType: 'NEW_AND_OLD_IMAGES',
          NewImage: {
            id: { N: '42' }, name: { S: 'Ada' }, active: { BOOL: true }, tags: { SS: ['a', 'b'] }, address: { M: { city: { S: 'London' } } },
            scores: { L: [{ N: '1' }, { N: '2' }] }, missing: { NULL: true }, blob: { B: Buffer.from('raw').toString('base64') },
          },
        },
      }],
    });
    assert.deepEqual(body, {
      eventName: 'INSERT', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/people/stream/2026-01-01T00:00:00.000', key: '42', name: 'Ada', active: true,
      tags: ['a', 'b'], nested: 'London', list: '2', missing: true, binary: 'raw', sizeBytes: 26, viewType: 'NEW_AND_OLD_IMAGES', createdMillis: 1_700_000_000_000,
    });
  });

  test('ScheduledEvent: "detail-type" and the time through Joda DateTime.parse', async () => {
    await create('java-scheduled', 'example.Events::scheduled');
    const { body } = await invoke('java-scheduled', {
      version: '0', id: 'e-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: '2026-12-06T10:00:00Z',
      region: 'us-east-1', resources: ['arn:aws:events:us-east-1:000000000000:rule/every-hour'], detail: {},
    });
    assert.deepEqual(body, { detailType: 'Scheduled Event', timeMillis: Date.parse('2026-12-06T10:00:00Z'), resources: ['arn:aws:events:us-east-1:000000000000:rule/every-hour'], detail: {} });
  });

  test(`S3Event: built through its constructors as AWS's S3 serializer builds it, absent strings as ""`, async () => {
    await create('java-s3', 'example.Events::s3');
    const { body } = await invoke('java-s3', {
      Records: [{
        eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: '2026-12-06T10:00:00.000Z', eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:X' }, requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'ID2' },
        s3: { s3SchemaVersion: '1.0', configurationId: 'c', bucket: { name: 'photos', ownerIdentity: { principalId: 'O' }, arn: 'arn:aws:s3:::photos' }, object: { key: 'cat.jpg', size: 1024, eTag: 'abc', sequencer: '01' } },
      }],
    });
    assert.deepEqual(body, {
      eventName: 'ObjectCreated:Put', region: 'us-east-1', timeMillis: Date.parse('2026-12-06T10:00:00.000Z'), bucket: 'photos', key: 'cat.jpg', size: 1024, eTag: 'abc',
      versionId: '', requestId: 'REQ', sourceIp: '127.0.0.1',
    });
  });

  test('APIGatewayV2HTTPEvent is no event AWS maps specially: plain bean mapping, so "isBase64Encoded" reaches no setter (setBase64Encoded)', async () => {
    await create('java-http', 'example.Events::http');
    const { body } = await invoke('java-http', {
      version: '2.0', routeKey: 'GET /items', rawPath: '/items', rawQueryString: '', cookies: ['a=1'], headers: { 'x-trace': 't-1' },
      requestContext: { accountId: '000000000000', apiId: 'api', domainName: 'api.example', http: { method: 'GET', path: '/items', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r', routeKey: 'GET /items', stage: '$default', time: '06/Dec/2026:10:00:00 +0000', timeEpoch: 1_796_551_200_000 },
      body: 'aGk=', isBase64Encoded: true,
    });
    assert.deepEqual(body, { rawPath: '/items', method: 'GET', timeEpoch: 1_796_551_200_000, header: 't-1', cookies: ['a=1'], base64: false });
  });

  test('LambdaLogger.log(message, LogLevel): JSON records below ApplicationLogLevel are dropped, log(String) never is; text prefixes the level', async () => {
    await Promise.all([
      create('java-levels-json', 'example.Levels::handle', { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' }),
      create('java-levels-default', 'example.Levels::handle', { LogFormat: 'JSON' }),
      create('java-levels-text', 'example.Levels::handle'),
    ]);
    const records = (log: string) => log.split('\n').flatMap((line) => {
      try {
        const r = JSON.parse(line) as { message?: string; level?: string; AWSRequestId?: string };
        return r.message?.startsWith('j ') || r.message?.startsWith('d ') ? [r] : [];
      } catch {
        return [];
      }
    });
    const json = await invoke('java-levels-json', 'j');
    assert.deepEqual(records(json.log).map((r) => [r.message, r.level]), [['j warn', 'WARN'], ['j error', 'ERROR'], ['j undefined', 'UNDEFINED']]);
    assert.doesNotMatch(json.log, /j bytes at debug/);
    // LogFormat JSON without ApplicationLogLevel is INFO.
    const byDefault = await invoke('java-levels-default', 'd');
    assert.deepEqual(records(byDefault.log).map((r) => r.level), ['INFO', 'WARN', 'ERROR', 'UNDEFINED']);
    // Text: nothing filtered (AWS sets no level without JSON), each leveled line prefixed.
    const text = await invoke('java-levels-text', 't');
    for (const line of ['[TRACE] t trace', '[DEBUG] t debug', '[INFO] t info', '[WARN] t warn', '[ERROR] t error', 't undefined', 't bytes at debug']) {
      assert.match(text.log, new RegExp(`^${line.replace(/[[\]]/g, '\\$&')}$`, 'm'));
    }
  });
});
