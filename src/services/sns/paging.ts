import { snsErrors } from './errors.js';

/** NextToken: the last ARN of the page, base64url; opaque to clients. */
export function encodeNextToken(lastArn: string): string {
  return Buffer.from(lastArn, 'utf8').toString('base64url');
}

export function decodeNextToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const arn = Buffer.from(token, 'base64url').toString('utf8');
  if (!arn.startsWith('arn:')) throw snsErrors.invalidParameter('NextToken');
  return arn;
}
