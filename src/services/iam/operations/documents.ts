import { compilePolicy, PolicyDocumentError, type CompiledPolicy } from '../../../auth/policy/document.js';
import { iamErrors } from '../errors.js';

/** A policy document from a request, checked (`MalformedPolicyDocument` with AWS's reason otherwise). */
export function checkedDocument(text: string, kind: 'identity' | 'trust'): CompiledPolicy {
  try {
    return compilePolicy(text, kind);
  } catch (err) {
    if (err instanceof PolicyDocumentError) throw iamErrors.malformedPolicy(err.message);
    throw err;
  }
}

/** Documents go back URL-encoded (RFC 3986), as IAM returns them; boto3 decodes them, the JS SDK does not. */
export function encodedDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
