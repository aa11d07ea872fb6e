import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { generatedName, waitFor, type ProviderContext, type ResourceProvider } from './provider.js';

/** AWS waits an hour for a custom resource's response unless `ServiceTimeout` (seconds) says less. */
const RESPONSE_TIMEOUT_SECONDS = 3600;

interface CustomResponse {
  Status?: string;
  Reason?: string;
  PhysicalResourceId?: string;
  Data?: Record<string, unknown>;
}

/** The bucket responses are PUT into: one per account and region, made on first use. */
async function responseBucket(ctx: ProviderContext): Promise<string> {
  const bucket = `lambkin-cfn-responses-${ctx.accountId}-${ctx.region}`;
  try {
    await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: ctx.region === 'us-east-1' ? undefined : { LocationConstraint: ctx.region as never } }));
  } catch (err) {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test((err as Error).name)) throw err;
  }
  return bucket;
}

/**
 * Sends the CloudFormation request event to the ServiceToken function (asynchronously, as AWS
 * does) and waits for the response the function PUTs to the presigned S3 URL it was given.
 */
async function request(
  ctx: ProviderContext,
  type: 'Create' | 'Update' | 'Delete',
  props: Record<string, unknown>,
  extra: { PhysicalResourceId?: string; OldResourceProperties?: Record<string, unknown>; resourceType: string },
): Promise<CustomResponse> {
  const token = String(props.ServiceToken ?? '');
  if (!/^arn:aws[a-z-]*:lambda:/.test(token)) throw new Error(`ServiceToken ${token} is not a Lambda function ARN; Lambkin sends custom resource requests to functions only`);
  const bucket = await responseBucket(ctx);
  const requestId = randomUUID();
  const key = `${encodeURIComponent(ctx.stackId)}/${ctx.logicalId}/${requestId}`;
  const responseUrl = await getSignedUrl(ctx.clients.s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 7200 });
  const event = {
    RequestType: type,
    ServiceToken: token,
    ResponseURL: responseUrl,
    StackId: ctx.stackId,
    RequestId: requestId,
    LogicalResourceId: ctx.logicalId,
    ResourceType: extra.resourceType,
    ...(extra.PhysicalResourceId ? { PhysicalResourceId: extra.PhysicalResourceId } : {}),
    ResourceProperties: props,
    ...(extra.OldResourceProperties ? { OldResourceProperties: extra.OldResourceProperties } : {}),
  };
  await ctx.clients.lambda.send(new InvokeCommand({ FunctionName: token, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
  let body = '';
  const timeout = Number(props.ServiceTimeout ?? RESPONSE_TIMEOUT_SECONDS) * 1000;
  await waitFor(async () => {
    try {
      const got = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      body = await got.Body!.transformToString();
      return true;
    } catch (err) {
      if (/NoSuchKey|NotFound/.test((err as Error).name)) return false;
      throw err;
    }
  }, `Custom resource ${ctx.logicalId}`, timeout);
  let response: CustomResponse;
  try {
    response = JSON.parse(body) as CustomResponse;
  } catch {
    throw new Error(`Invalid response object: ${body.slice(0, 200)}`);
  }
  if (response.Status !== 'SUCCESS') {
    throw new Error(`Received response status [${String(response.Status)}] from custom resource. Message returned: ${response.Reason ?? ''} (RequestId: ${requestId})`);
  }
  return response;
}

/** `Custom::*` and `AWS::CloudFormation::CustomResource`, backed by a Lambda function. */
export function customResource(resourceType: string): ResourceProvider {
  return {
    replaceOn: ['ServiceToken'],
    async create(ctx, props) {
      const r = await request(ctx, 'Create', props, { resourceType });
      return { physicalId: r.PhysicalResourceId ?? generatedName(ctx, 128), attributes: r.Data ?? {} };
    },
    async update(ctx, physicalId, props, old) {
      const r = await request(ctx, 'Update', props, { resourceType, PhysicalResourceId: physicalId, OldResourceProperties: old });
      return { attributes: r.Data ?? {} };
    },
    async delete(ctx, physicalId, props) {
      await request(ctx, 'Delete', props, { resourceType, PhysicalResourceId: physicalId });
    },
  };
}
