import { restErrors } from './errors.js';

/**
 * What an integration response's `responseParameters` may map into a method response header, as
 * API Gateway accepts it: a `'literal'`, the integration's answer (`integration.response.body`,
 * `.body.<JSONPath>`, `.header.<name>`, `.multivalueheader.<name>`), `context.<variable>` or
 * `stageVariables.<name>`.
 */
export const RESPONSE_PARAMETER_SOURCE =
  /^'.*'$|^integration\.response\.body(\..+)?$|^integration\.response\.(header|multivalueheader)\.[^\s.]+$|^context\.[A-Za-z][\w.]*$|^stageVariables\.[A-Za-z0-9_]+$/s;

export const METHOD_RESPONSE_HEADER = /^method\.response\.header\.([^\s]+)$/;

function invalidMapping(what: string): Error {
  return restErrors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${what}]`);
}

/**
 * PutIntegrationResponse's check: every target is a header the method response declares, every
 * source one API Gateway can read; AWS words both failures this way.
 */
export function checkResponseParameters(params: Record<string, string>, declared: Record<string, boolean> | undefined): void {
  for (const [target, source] of Object.entries(params)) {
    if (!METHOD_RESPONSE_HEADER.test(target) || declared?.[target] === undefined) {
      throw invalidMapping(`Invalid mapping expression parameter specified: ${target}`);
    }
    if (!RESPONSE_PARAMETER_SOURCE.test(source)) throw invalidMapping(`Invalid mapping expression specified: ${source}`);
  }
}
