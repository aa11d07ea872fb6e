import { jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { schedulerErrors } from './errors.js';
import { DEFAULT_GROUP, groupArn } from './model.js';
import { body, checkName, page, scopeOf, type SchedulerDeps } from './schedules.js';
import type { GroupRow } from './store.js';

export function groupRoutes(deps: SchedulerDeps): RestJsonRoute[] {
  return [
    { operation: 'CreateScheduleGroup', method: 'POST', path: '/schedule-groups/{Name}', handler: (r) => createGroup(deps, r) },
    { operation: 'GetScheduleGroup', method: 'GET', path: '/schedule-groups/{Name}', handler: (r) => getGroup(deps, r) },
    { operation: 'DeleteScheduleGroup', method: 'DELETE', path: '/schedule-groups/{Name}', handler: (r) => deleteGroup(deps, r) },
    { operation: 'ListScheduleGroups', method: 'GET', path: '/schedule-groups', handler: (r) => listGroups(deps, r) },
  ];
}

function view(req: RestJsonRequest, group: GroupRow): Record<string, unknown> {
  return { Arn: groupArn(req.region, req.accountId, group.name), CreationDate: group.createdAt / 1000, LastModificationDate: group.createdAt / 1000, Name: group.name, State: 'ACTIVE' };
}

async function createGroup(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const scope = scopeOf(req);
  const name = checkName(req.params.Name, 'name');
  if (await deps.store.getGroup(scope, name)) throw schedulerErrors.groupExists(name);
  const input = body(req);
  const tags: Record<string, string> = {};
  for (const tag of (Array.isArray(input.Tags) ? input.Tags : []) as Array<{ Key?: unknown; Value?: unknown }>) {
    if (typeof tag.Key !== 'string' || typeof tag.Value !== 'string') throw schedulerErrors.validation('Invalid tag: Key and Value are required strings');
    tags[tag.Key] = tag.Value;
  }
  await deps.store.putGroup(scope, name, deps.clock.now(), tags);
  return jsonResponse(200, { ScheduleGroupArn: groupArn(scope.region, scope.accountId, name) });
}

async function getGroup(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const name = checkName(req.params.Name, 'name');
  const group = await deps.store.getGroup(scopeOf(req), name);
  if (!group) throw schedulerErrors.groupNotFound(name);
  return jsonResponse(200, view(req, group));
}

/** Deleting a group deletes its schedules (AWS does it in the background; here at once). */
async function deleteGroup(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const scope = scopeOf(req);
  const name = checkName(req.params.Name, 'name');
  if (name === DEFAULT_GROUP) throw schedulerErrors.validation('The default schedule group cannot be deleted.');
  if (!(await deps.store.getGroup(scope, name))) throw schedulerErrors.groupNotFound(name);
  await deps.store.deleteGroup(scope, name);
  deps.onSchedulesChanged();
  return jsonResponse(200, {});
}

async function listGroups(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const prefix = req.query.get('NamePrefix');
  const groups = (await deps.store.listGroups(scopeOf(req))).filter((g) => prefix === null || g.name.startsWith(prefix));
  const { items, nextToken } = page(groups, req);
  return jsonResponse(200, { ScheduleGroups: items.map((g) => view(req, g)), ...(nextToken ? { NextToken: nextToken } : {}) });
}
