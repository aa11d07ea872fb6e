import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { rawRequest, type RawResponse } from './raw-http.js';

/** One ECR API call (awsJson 1.1), signed as the SDK signs it. */
export async function ecrCall(
  baseUrl: string,
  operation: string,
  input: Record<string, unknown>,
  options: { accessKeyId?: string; secretAccessKey?: string; region?: string } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = JSON.stringify(input);
  const unsigned = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}`,
    },
    body,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: options.secretAccessKey ?? 'test' },
    region: options.region ?? 'us-east-1',
    service: 'ecr',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(unsigned);
  return rawRequest(baseUrl, { method: 'POST', path: '/', headers: signed.headers, body });
}

/** The registry password GetAuthorizationToken hands out (what `aws ecr get-login-password` prints). */
export async function registryPassword(baseUrl: string): Promise<string> {
  const res = await ecrCall(baseUrl, 'GetAuthorizationToken', {});
  const data = (res.json().authorizationData as Array<{ authorizationToken: string }>)[0]!;
  return Buffer.from(data.authorizationToken, 'base64').toString('utf8').slice('AWS:'.length);
}
