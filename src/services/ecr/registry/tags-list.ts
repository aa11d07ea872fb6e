import type { ServiceResponse } from '../../../contracts/request-context.js';
import { tagsByDigest } from '../tables/images.js';
import type { RegistryDeps, RepositoryRequest } from './deps.js';
import { API_VERSION_HEADER } from './errors.js';

/** GET /v2/<name>/tags/list, in lexical order, paged by `n` and `last` with a `Link` to the next page. */
export async function listTags(deps: RegistryDeps, request: RepositoryRequest): Promise<ServiceResponse> {
  const all = [...(await tagsByDigest(deps.db, request.key)).values()].flat().sort();
  const last = request.ctx.query.get('last');
  const n = request.ctx.query.get('n');
  let tags = last !== null ? all.filter((t) => t > last) : all;
  const headers: Record<string, string> = { ...API_VERSION_HEADER, 'content-type': 'application/json' };
  if (n !== null && /^\d+$/.test(n) && tags.length > Number(n)) {
    tags = tags.slice(0, Number(n));
    headers.Link = `</v2/${request.key.name}/tags/list?n=${n}&last=${encodeURIComponent(tags[tags.length - 1] ?? '')}>; rel="next"`;
  }
  return { status: 200, headers, body: JSON.stringify({ name: request.key.name, tags }) };
}
