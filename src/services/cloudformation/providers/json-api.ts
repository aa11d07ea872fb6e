import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** An AWS JSON (1.1) API error as the SDK clients raise them: `name` is the error type. */
class JsonApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly $metadata: { httpStatusCode: number; requestId?: string },
  ) {
    super(message);
  }
}

/**
 * A signed AWS JSON 1.1 call (`X-Amz-Target`), for the APIs whose SDK client the project does not
 * carry (ECR): the same SigV4 and the same validation as any other client's call.
 */
export async function callJsonApi(
  endpoint: string,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  service: string,
  target: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const signed = await signer.sign(request);
  const res = await fetch(endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const type = String(parsed.__type ?? 'UnknownError').split('#').pop()!;
    throw new JsonApiError(type, String(parsed.message ?? parsed.Message ?? text), { httpStatusCode: res.status, requestId: res.headers.get('x-amzn-requestid') ?? undefined });
  }
  return parsed;
}
