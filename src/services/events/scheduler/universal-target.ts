import type { InProcessCall } from '../../../contracts/service-caller.js';

/**
 * Universal targets (`arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`): the target's Input is
 * the API request, sent to Lambkin's own service in-process. Each service listed here is reached
 * through its wire protocol, so every action the service implements can be a target.
 */
interface UniversalService {
  /** The Lambkin service that answers. */
  service: string;
  protocol: 'json' | 'query' | 'lambda-invoke';
  /** awsJson: the `X-Amz-Target` prefix and JSON version; query: the API version. */
  targetPrefix?: string;
  jsonVersion?: '1.0' | '1.1';
  apiVersion?: string;
}

const SERVICES: Record<string, UniversalService> = {
  sqs: { service: 'sqs', protocol: 'json', targetPrefix: 'AmazonSQS', jsonVersion: '1.0' },
  sns: { service: 'sns', protocol: 'query', apiVersion: '2010-03-31' },
  lambda: { service: 'lambda', protocol: 'lambda-invoke' },
  dynamodb: { service: 'dynamodb', protocol: 'json', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' },
  eventbridge: { service: 'events', protocol: 'json', targetPrefix: 'AWSEvents', jsonVersion: '1.1' },
  kinesis: { service: 'kinesis', protocol: 'json', targetPrefix: 'Kinesis_20131202', jsonVersion: '1.1' },
};

/**
 * Read-only actions Scheduler refuses as universal targets (its documentation lists the
 * prefixes: a schedule that only reads has no effect).
 */
const READ_ONLY_PREFIXES = ['batchGet', 'batchDescribe', 'batchRead', 'describe', 'discover', 'get', 'list', 'lookup', 'poll', 'query', 'read', 'receive', 'retrieve', 'scan', 'search', 'select', 'transactGet', 'validate'];

export interface UniversalTarget {
  serviceKey: string;
  action: string;
}

const UNIVERSAL_ARN = /^arn:aws[a-z-]*:scheduler:::aws-sdk:([a-z0-9]+):([a-z][A-Za-z0-9]*)$/;

export function isUniversalTargetArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:scheduler:::aws-sdk:/.test(arn);
}

/** Why a universal target ARN cannot be used here, or null when it can. */
export function universalTargetProblem(arn: string): string | null {
  const m = UNIVERSAL_ARN.exec(arn);
  if (!m) return `Provided Arn ${arn} is not in correct format.`;
  const [, serviceKey, action] = m as unknown as [string, string, string];
  if (!SERVICES[serviceKey === 'events' ? 'eventbridge' : serviceKey]) return `Universal target service ${serviceKey} is not supported by Lambkin: ${Object.keys(SERVICES).join(', ')} are.`;
  if (serviceKey === 'lambda' && action !== 'invoke') return 'Lambkin supports only the invoke action of lambda as a universal target.';
  if (READ_ONLY_PREFIXES.some((p) => action.startsWith(p) && (action.length === p.length || /[A-Z]/.test(action[p.length]!)))) return `Read-only action ${serviceKey}:${action} is not supported as a universal target.`;
  return null;
}

export function parseUniversalTarget(arn: string): UniversalTarget | null {
  const m = UNIVERSAL_ARN.exec(arn);
  return m ? { serviceKey: m[1] === 'events' ? 'eventbridge' : m[1]!, action: m[2]! } : null;
}

/**
 * Query protocol parameters from a JSON request: lists as `Name.member.N`, maps as
 * `Name.entry.N.<key>/<value>` (SNS names the parts of MessageAttributes `Name`/`Value`, of its
 * other maps `key`/`value`), nested structures with dots.
 */
function flattenQuery(value: unknown, prefix: string, out: URLSearchParams): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flattenQuery(item, `${prefix}.member.${i + 1}`, out));
  } else if (value !== null && typeof value === 'object') {
    const field = prefix.slice(prefix.lastIndexOf('.') + 1);
    if (field === 'MessageAttributes' || field === 'Attributes') {
      const [k, v] = field === 'MessageAttributes' ? ['Name', 'Value'] : ['key', 'value'];
      Object.entries(value).forEach(([key, item], i) => {
        out.append(`${prefix}.entry.${i + 1}.${k}`, key);
        flattenQuery(item, `${prefix}.entry.${i + 1}.${v}`, out);
      });
      return;
    }
    for (const [key, item] of Object.entries(value)) flattenQuery(item, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined && value !== null) {
    out.append(prefix, String(value));
  }
}

/** The in-process request a universal target's firing makes. */
export function universalRequest(target: UniversalTarget, input: Record<string, unknown>, scope: { accountId: string; region: string }): InProcessCall {
  const spec = SERVICES[target.serviceKey]!;
  const operation = target.action[0]!.toUpperCase() + target.action.slice(1);
  const base = { service: spec.service, accountId: scope.accountId, region: scope.region };
  if (spec.protocol === 'json') {
    return {
      ...base,
      method: 'POST',
      rawPath: '/',
      headers: { 'content-type': `application/x-amz-json-${spec.jsonVersion}`, 'x-amz-target': `${spec.targetPrefix}.${operation}` },
      body: Buffer.from(JSON.stringify(input)),
    };
  }
  if (spec.protocol === 'query') {
    const form = new URLSearchParams({ Action: operation, Version: spec.apiVersion! });
    flattenQuery(input, '', form);
    return { ...base, method: 'POST', rawPath: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(form.toString()) };
  }
  // Lambda's Invoke (rest-json): FunctionName and Qualifier in the path and query, the payload as the body.
  const query = new URLSearchParams();
  if (typeof input.Qualifier === 'string') query.set('Qualifier', input.Qualifier);
  const payload = input.Payload === undefined ? '' : typeof input.Payload === 'string' ? input.Payload : JSON.stringify(input.Payload);
  return {
    ...base,
    method: 'POST',
    rawPath: `/2015-03-31/functions/${encodeURIComponent(String(input.FunctionName ?? ''))}/invocations`,
    query,
    headers: {
      'content-type': 'application/json',
      'x-amz-invocation-type': typeof input.InvocationType === 'string' ? input.InvocationType : 'RequestResponse',
      ...(typeof input.ClientContext === 'string' ? { 'x-amz-client-context': input.ClientContext } : {}),
    },
    body: Buffer.from(payload),
  };
}
