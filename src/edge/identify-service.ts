import type { IncomingHttpHeaders } from 'node:http';
import type { Service } from '../contracts/service.js';
import { isBrowserPostForm } from './post-form.js';
import { isSigV2Query } from '../auth/sigv2-query.js';
import { headerValue } from '../protocols/header-value.js';

export type Identified = { service: Service } | { unknown: string } | null;

/**
 * Which service a request is for: SigV4 credential scope first (with X-Amz-Target among services
 * sharing a signing name), then X-Amz-Target, then the path,
 * then whether it is a browser upload form.
 */
export function identifyService(
  services: Service[],
  method: string,
  rawPath: string,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  /** The service a console request names (it has no signature to take a scope from). */
  consoleService?: string,
): Identified {
  const scopeService = consoleService ?? credentialScopeService(headers, query);
  const target = headerValue(headers['x-amz-target']);
  const prefix = target?.split('.')[0] ?? '';
  if (scopeService) {
    // DynamoDB and DynamoDB Streams both sign as `dynamodb`: their target prefixes tell them apart.
    const service =
      (target ? services.find((s) => s.signingName === scopeService && s.targetPrefixes.includes(prefix)) : undefined) ??
      services.find((s) => s.signingName === scopeService);
    return service ? { service } : { unknown: scopeService };
  }
  if (target) {
    const service = services.find((s) => s.targetPrefixes.includes(prefix));
    return service ? { service } : { unknown: prefix };
  }
  const service = services.find((s) => s.ownsPath(method, rawPath));
  if (service) return { service };
  // An unsigned multipart/form-data POST elsewhere is an S3 browser upload, signed inside the form.
  const formService = isBrowserPostForm(method, headers, query) ? services.find((s) => s.authenticatesPostForms) : undefined;
  return formService ? { service: formService } : null;
}

function credentialScopeService(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
  // S3's legacy presigned URLs (SigV2) carry no scope; only S3 accepts them.
  if (isSigV2Query(query)) return 's3';
  const auth = headerValue(headers.authorization);
  const credential = auth ? /Credential=([^,\s]+)/.exec(auth)?.[1] : query.get('X-Amz-Credential');
  if (!credential) return null;
  const parts = credential.split('/');
  return parts.length === 5 ? (parts[3] ?? null) : null;
}

/** The service that owns every request to a host (`Service.servesHost`), if any. */
export function serviceOwningHost(services: Service[], host: string | undefined): Service | undefined {
  if (host === undefined) return undefined;
  return services.find((s) => s.streamsBody === true && s.servesHost?.(host) === true);
}
