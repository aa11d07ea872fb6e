import { randomUUID } from 'node:crypto';

/** A provider's failure as CloudFormation words a resource handler's: the reason on `*_FAILED` events. */
export function handlerMessage(err: unknown, resourceType: string): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const message = e?.message ?? String(err);
  if (!e?.$metadata) return message;
  const status = e.$metadata.httpStatusCode ?? 400;
  const code = status === 404 ? 'NotFound' : status === 409 ? 'AlreadyExists' : status === 429 ? 'Throttling' : status >= 500 ? 'ServiceInternalError' : 'InvalidRequest';
  // AWS names the service by the resource type's (`AWS::Lambda::Function` → Lambda).
  const service = ` (Service: ${resourceType.split('::')[1] ?? 'Unknown'}, Status Code: ${status}, Request ID: ${e.$metadata.requestId ?? randomUUID()})`;
  return `Resource handler returned message: "${message}${service}" (RequestToken: ${randomUUID()}, HandlerErrorCode: ${code})`;
}
