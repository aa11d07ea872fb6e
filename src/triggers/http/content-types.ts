/**
 * Whether a body of this content type reaches the function as text. AWS's front doors pass
 * `text/*`, JSON, JavaScript and XML through and base64 everything else (an absent type included).
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type.startsWith('text/')) return true;
  if (type === 'application/json' || type === 'application/javascript' || type === 'application/xml') return true;
  if (type === 'application/x-www-form-urlencoded') return false;
  return type.endsWith('+json') || type.endsWith('+xml');
}
