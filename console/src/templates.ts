// Test event templates in the shapes Lambkin's triggers send (the same as AWS's).
const now = () => new Date().toISOString();
const account = '000000000000';

export const TEMPLATES: Record<string, () => unknown> = {
  'hello-world': () => ({ key1: 'value1', key2: 'value2', key3: 'value3' }),
  's3-put': () => ({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: now(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: `AWS:${account}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE123/abcdefghijklmnopqrstuvwxyz' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'testConfigRule',
          bucket: { name: 'example-bucket', ownerIdentity: { principalId: account }, arn: 'arn:aws:s3:::example-bucket' },
          object: { key: 'test/key', size: 1024, eTag: '0123456789abcdef0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
        },
      },
    ],
  }),
  'sqs-batch': () => ({
    Records: [1, 2].map((i) => ({
      messageId: `059f36b4-87a3-44ab-83d2-66197445703${i}`,
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
      body: `Test message ${i}.`,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: account, ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:${account}:my-queue`,
      awsRegion: 'us-east-1',
    })),
  }),
  'alb-request': () => ({
    requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${account}:targetgroup/lambda-tg/6d0ecf831eec9f09` } },
    httpMethod: 'GET',
    path: '/hello',
    queryStringParameters: { query: '1234ABCD' },
    headers: { accept: 'text/html', host: 'lambda-alb-123578498.us-east-1.elb.amazonaws.com', 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': '72.12.164.125', 'x-forwarded-port': '80', 'x-forwarded-proto': 'http' },
    body: '',
    isBase64Encoded: false,
  }),
  'http-api-request': () => ({
    version: '2.0',
    routeKey: 'GET /hello',
    rawPath: '/hello',
    rawQueryString: 'name=world',
    headers: { accept: '*/*', host: 'api.example.com', 'user-agent': 'curl/8.0' },
    queryStringParameters: { name: 'world' },
    requestContext: {
      accountId: account,
      apiId: 'api-id',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'GET', path: '/hello', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.0' },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: 'GET /hello',
      stage: '$default',
      time: '06/Dec/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  }),
  'eventbridge-scheduled': () => ({
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: now(),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:${account}:rule/my-schedule`],
    detail: {},
  }),
  'kinesis-records': () => ({
    Records: [
      {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: '1',
          sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
          data: btoa('Hello, this is a test.'),
          approximateArrivalTimestamp: Date.now() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::${account}:role/lambda-role`,
        awsRegion: 'us-east-1',
        eventSourceARN: `arn:aws:kinesis:us-east-1:${account}:stream/my-stream`,
      },
    ],
  }),
  'dynamodb-records': () => ({
    Records: [
      {
        eventID: '1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: { Id: { N: '101' } },
          NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
          SequenceNumber: '111',
          SizeBytes: 26,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: `arn:aws:dynamodb:us-east-1:${account}:table/my-table/stream/2026-12-06T00:00:00.000`,
      },
    ],
  }),
};

export const TEMPLATE_LABELS: Record<string, string> = {
  'hello-world': 'Hello world',
  's3-put': 'S3 put',
  'sqs-batch': 'SQS batch',
  'alb-request': 'ALB request',
  'http-api-request': 'HTTP API request (v2)',
  'eventbridge-scheduled': 'EventBridge scheduled event',
  'kinesis-records': 'Kinesis records',
  'dynamodb-records': 'DynamoDB stream records',
};
