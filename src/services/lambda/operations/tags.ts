import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { TAGS_MAX } from '../limits.js';
import type { Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, scopeOf } from '../request.js';
import { validateTags } from '../tag-rules.js';
import { ConstraintCheck } from '../validation.js';

/** The model's pattern for a taggable resource ARN (recorded in AWS's ValidationException). */
const RESOURCE_ARN_PATTERN =
  'arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)';

const RESOURCE_ARN_PARTS = /^arn:[^:]+:lambda:([^:]+):(\d{12}):([a-z-]+):([^:]+)(?::(.+))?$/;

export function tagRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const path = '/2017-03-31/tags/{Resource}';
  return [
    { operation: 'TagResource', method: 'POST', path, handler: (r) => tagResource(deps, r) },
    { operation: 'UntagResource', method: 'DELETE', path, handler: (r) => untagResource(deps, r) },
    { operation: 'ListTags', method: 'GET', path, handler: (r) => listTags(deps, r) },
  ];
}

/** Where one resource's tags live; `read`/`write` work on the whole map. */
interface TagHolder {
  read(): Promise<Record<string, string>>;
  write(tags: Record<string, string>): Promise<void>;
  lockKey: string;
}

function parseResource(req: RestJsonRequest, action: string): { arn: string; region: string; accountId: string; kind: string; id: string; qualifier?: string } {
  const arn = req.params.Resource ?? '';
  new ConstraintCheck().length(arn, 'resource', 1, 256).pattern(arn, 'resource', RESOURCE_ARN_PATTERN).throwIfFailed();
  const m = RESOURCE_ARN_PARTS.exec(arn);
  if (!m) throw errors.resourceNotFound();
  const [, region = '', accountId = '', kind = '', id = '', qualifier] = m;
  if (accountId !== req.accountId) throw errors.accessDenied(action, arn, req.accountId);
  return { arn, region, accountId, kind, id, qualifier };
}

async function tagHolder(deps: LambdaDeps, req: RestJsonRequest, action: string): Promise<TagHolder> {
  const resource = parseResource(req, action);
  // Resources live in the region the request was signed for; an ARN naming another region finds nothing.
  const scope: Scope = scopeOf(req);
  if (resource.kind === 'function') {
    if (resource.qualifier !== undefined) throw errors.tagsOnQualified();
    const name = resource.id;
    const notFound = () => errors.functionNotFound(functionArn(resource.region, resource.accountId, name));
    if (resource.region !== scope.region || !(await deps.functions.getFunction(scope, name))) throw notFound();
    return {
      lockKey: functionLockKey(scope, name),
      read: async () => {
        const fn = await deps.functions.getFunction(scope, name);
        if (!fn) throw notFound();
        return fn.tags;
      },
      write: (tags) => deps.functions.updateFunction(scope, name, { tags }),
    };
  }
  if (resource.kind === 'event-source-mapping') {
    const uuid = resource.id;
    const notFound = () => errors.taggedMappingNotFound(resource.arn);
    const find = () =>
      deps.db
        .selectFrom('lambda_event_source_mappings')
        .select('tags')
        .where('uuid', '=', uuid)
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .executeTakeFirst();
    if (resource.region !== scope.region || !(await find())) throw notFound();
    return {
      lockKey: `esm:${uuid}`,
      read: async () => {
        const row = await find();
        if (!row) throw notFound();
        return JSON.parse(row.tags) as Record<string, string>;
      },
      write: async (tags) => {
        await deps.db.updateTable('lambda_event_source_mappings').set({ tags: JSON.stringify(tags) }).where('uuid', '=', uuid).execute();
      },
    };
  }
  if (resource.kind === 'capacity-provider') throw errors.taggedCapacityProviderNotFound(resource.arn);
  // Layers and code-signing configs carry no tags here.
  throw errors.resourceNotFound();
}

async function tagResource(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  new ConstraintCheck().required(body.Tags, 'tags').throwIfFailed();
  const holder = await tagHolder(deps, req, 'TagResource');
  const tags = validateTags(body.Tags);
  if (Object.keys(tags).length === 0) throw errors.tagsEmpty();
  await deps.lock.run(holder.lockKey, async () => {
    const merged = { ...(await holder.read()), ...tags };
    if (Object.keys(merged).length > TAGS_MAX) throw errors.tooManyTags();
    await holder.write(merged);
  });
  return emptyResponse(204);
}

async function untagResource(deps: LambdaDeps, req: RestJsonRequest) {
  const keys = req.query.getAll('tagKeys');
  if (keys.length === 0) new ConstraintCheck().required(null, 'tagKeys').throwIfFailed();
  const holder = await tagHolder(deps, req, 'UntagResource');
  await deps.lock.run(holder.lockKey, async () => {
    // A copy: the function row may be the table's cached object.
    const tags = { ...(await holder.read()) };
    for (const key of keys) delete tags[key];
    await holder.write(tags);
  });
  return emptyResponse(204);
}

async function listTags(deps: LambdaDeps, req: RestJsonRequest) {
  const holder = await tagHolder(deps, req, 'ListTags');
  return jsonResponse(200, { Tags: await holder.read() });
}
