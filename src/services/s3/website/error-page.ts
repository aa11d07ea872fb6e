import type { AwsError } from '../../../contracts/aws-error.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';

/** Reason phrases of the statuses a website endpoint answers with a page of its own. */
const REASON: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/**
 * The HTML page a website endpoint sends for an error, line for line as S3's: the error's code,
 * message and fields as a list, then, when the bucket's error document could not be served either,
 * a second list saying why. The same facts go in `x-amz-error-*` headers, as S3 sends them.
 */
export function websiteErrorPage(
  error: AwsError,
  ids: { requestId: string; hostId: string },
  options: { head: boolean; errorDocumentFailure?: AwsError },
): ServiceResponse {
  const title = `${error.status} ${REASON[error.status] ?? 'Error'}`;
  const lines = [
    '<html>',
    `<head><title>${title}</title></head>`,
    '<body>',
    `<h1>${title}</h1>`,
    '<ul>',
    ...items(error),
    `<li>RequestId: ${escapeHtml(ids.requestId)}</li>`,
    `<li>HostId: ${escapeHtml(ids.hostId)}</li>`,
    '</ul>',
  ];
  const failure = options.errorDocumentFailure;
  if (failure) lines.push('<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>', '<ul>', ...items(failure), '</ul>');
  lines.push('<hr/>', '</body>', '</html>', '');
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'x-amz-error-code': error.code,
    'x-amz-error-message': error.message,
  };
  for (const [name, value] of Object.entries(error.fields)) headers[`x-amz-error-detail-${name}`] = headerSafe(String(value));
  const body = lines.join('\n');
  if (options.head) return { status: error.status, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body: '' };
  return { status: error.status, headers, body };
}

function items(error: AwsError): string[] {
  return [
    `<li>Code: ${escapeHtml(error.code)}</li>`,
    `<li>Message: ${escapeHtml(error.message)}</li>`,
    ...Object.entries(error.fields).map(([name, value]) => `<li>${name}: ${escapeHtml(String(value))}</li>`),
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A key may hold characters a header may not (newlines, non-ASCII): those are percent-encoded. */
function headerSafe(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text);
}
