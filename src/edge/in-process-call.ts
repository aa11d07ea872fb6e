import { randomUUID } from 'node:crypto';
import { AwsError } from '../contracts/aws-error.js';
import type { RequestContext } from '../contracts/request-context.js';
import type { Service } from '../contracts/service.js';
import type { InProcessCall, ServiceCaller } from '../contracts/service-caller.js';

/**
 * The ServiceCaller of this server: finds the service by name and hands it a request context as
 * the edge would after verifying a signature of the account (no principal, so no IAM check).
 */
export function inProcessCaller(services: () => readonly Service[], endpointUrl: () => string): ServiceCaller {
  return async (call: InProcessCall) => {
    const service = services().find((s) => s.name === call.service);
    if (!service) throw new AwsError('ServiceUnavailable', 503, `service ${call.service} does not run in this server`);
    const endpoint = new URL(endpointUrl() || 'http://127.0.0.1');
    const ctx: RequestContext = {
      requestId: randomUUID(),
      method: call.method,
      rawPath: call.rawPath,
      query: call.query ?? new URLSearchParams(),
      headers: Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: call.body,
      accountId: call.accountId,
      region: call.region,
      accessKeyId: null,
      endpoint: { protocol: endpoint.protocol === 'https:' ? 'https' : 'http', hostname: endpoint.hostname, port: Number(endpoint.port) || (endpoint.protocol === 'https:' ? 443 : 80) },
      sourceIp: '127.0.0.1',
    };
    return service.handle(ctx);
  };
}
