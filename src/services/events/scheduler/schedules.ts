import { jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { schedulerErrors } from './errors.js';
import { parseSchedulerExpression } from './expression.js';
import { DEFAULT_GROUP, scheduleArn, scheduleView, type ScheduleDoc, type ScheduleTarget } from './model.js';
import { nextScheduledFiring } from './plan.js';
import type { SchedulerStore, Scope } from './store.js';
import { isUniversalTargetArn, universalTargetProblem } from './universal-target.js';
import { isKnownZone } from './zone-time.js';

export interface SchedulerDeps {
  store: SchedulerStore;
  clock: { now(): number };
  /** A schedule was written: the runner looks again. */
  onSchedulesChanged(): void;
}

export function scheduleRoutes(deps: SchedulerDeps): RestJsonRoute[] {
  return [
    { operation: 'CreateSchedule', method: 'POST', path: '/schedules/{Name}', handler: (r) => putSchedule(deps, r, 'create') },
    { operation: 'UpdateSchedule', method: 'PUT', path: '/schedules/{Name}', handler: (r) => putSchedule(deps, r, 'update') },
    { operation: 'GetSchedule', method: 'GET', path: '/schedules/{Name}', handler: (r) => getSchedule(deps, r) },
    { operation: 'DeleteSchedule', method: 'DELETE', path: '/schedules/{Name}', handler: (r) => deleteSchedule(deps, r) },
    { operation: 'ListSchedules', method: 'GET', path: '/schedules', handler: (r) => listSchedules(deps, r) },
  ];
}

export const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const DLQ_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;

export function scopeOf(req: RestJsonRequest): Scope {
  return { accountId: req.accountId, region: req.region };
}

export function body(req: RestJsonRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const value = JSON.parse(req.body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw schedulerErrors.validation('Invalid JSON body');
}

/** AWS's constraint wording for a member that fails its pattern. */
export function checkName(value: unknown, member: string, pattern = NAME): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw schedulerErrors.validation(`1 validation error detected: Value '${String(value ?? 'null')}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return value;
}

function optionalString(input: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw schedulerErrors.validation(`1 validation error detected: Value at '${key[0]!.toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  return v;
}

/** Epoch seconds on the wire (the SDKs and the CLI send numbers) → epoch ms. */
function optionalDate(input: Record<string, unknown>, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw schedulerErrors.validation(`Invalid ${key}`);
  return Math.round(v * 1000);
}

function target(input: Record<string, unknown>): ScheduleTarget {
  const t = input.Target as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object') throw schedulerErrors.validation("1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null");
  if (typeof t.Arn !== 'string' || t.Arn.length === 0) throw schedulerErrors.validation("1 validation error detected: Value null at 'target.arn' failed to satisfy constraint: Member must not be null");
  checkName(t.RoleArn, 'target.roleArn', ROLE_ARN);
  if (isUniversalTargetArn(t.Arn)) {
    const problem = universalTargetProblem(t.Arn);
    if (problem) throw schedulerErrors.validation(problem);
  } else if (!/^arn:aws[a-zA-Z-]*:(lambda|sqs|sns|events):/.test(t.Arn)) {
    throw schedulerErrors.validation(`Target ${t.Arn} is not supported by Lambkin: templated targets for Lambda, SQS, SNS and EventBridge event buses, and universal targets (arn:aws:scheduler:::aws-sdk:…) are`);
  }
  const dlq = (t.DeadLetterConfig as { Arn?: unknown } | undefined)?.Arn;
  if (dlq !== undefined) checkName(dlq, 'target.deadLetterConfig.arn', DLQ_ARN);
  const retry = t.RetryPolicy as { MaximumEventAgeInSeconds?: unknown; MaximumRetryAttempts?: unknown } | undefined;
  if (retry?.MaximumEventAgeInSeconds !== undefined && !(typeof retry.MaximumEventAgeInSeconds === 'number' && retry.MaximumEventAgeInSeconds >= 60 && retry.MaximumEventAgeInSeconds <= 86400)) {
    throw schedulerErrors.validation("1 validation error detected: Value at 'target.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400");
  }
  if (retry?.MaximumRetryAttempts !== undefined && !(typeof retry.MaximumRetryAttempts === 'number' && retry.MaximumRetryAttempts >= 0 && retry.MaximumRetryAttempts <= 185)) {
    throw schedulerErrors.validation("1 validation error detected: Value at 'target.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185");
  }
  if (t.Input !== undefined && (typeof t.Input !== 'string' || t.Input.length === 0)) throw schedulerErrors.validation("1 validation error detected: Value at 'target.input' failed to satisfy constraint: Member must have length greater than or equal to 1");
  return t as ScheduleTarget;
}

function flexibleWindow(input: Record<string, unknown>): ScheduleDoc['FlexibleTimeWindow'] {
  const w = input.FlexibleTimeWindow as { Mode?: unknown; MaximumWindowInMinutes?: unknown } | undefined;
  if (!w || typeof w !== 'object') throw schedulerErrors.validation("1 validation error detected: Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null");
  if (w.Mode !== 'OFF' && w.Mode !== 'FLEXIBLE') throw schedulerErrors.validation(`1 validation error detected: Value '${String(w.Mode)}' at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]`);
  if (w.Mode === 'FLEXIBLE') {
    if (typeof w.MaximumWindowInMinutes !== 'number') throw schedulerErrors.validation('MaximumWindowInMinutes must be provided when FlexibleTimeWindow is set to FLEXIBLE.');
    if (w.MaximumWindowInMinutes < 1 || w.MaximumWindowInMinutes > 1440) throw schedulerErrors.validation("1 validation error detected: Value at 'flexibleTimeWindow.maximumWindowInMinutes' failed to satisfy constraint: Member must have value between 1 and 1440");
    return { Mode: 'FLEXIBLE', MaximumWindowInMinutes: w.MaximumWindowInMinutes };
  }
  if (w.MaximumWindowInMinutes !== undefined) throw schedulerErrors.validation('MaximumWindowInMinutes cannot be provided when FlexibleTimeWindow is set to OFF.');
  return { Mode: 'OFF' };
}

function enumValue<T extends string>(input: Record<string, unknown>, key: string, member: string, values: readonly T[], fallback: T): T {
  const v = input[key];
  if (v === undefined || v === null) return fallback;
  if (!values.includes(v as T)) throw schedulerErrors.validation(`1 validation error detected: Value '${String(v)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
  return v as T;
}

/** CreateSchedule and UpdateSchedule take the same whole document (Update replaces every member). */
async function putSchedule(deps: SchedulerDeps, req: RestJsonRequest, mode: 'create' | 'update'): Promise<ServiceResponse> {
  const scope = scopeOf(req);
  const name = checkName(req.params.Name, 'name');
  const input = body(req);
  const group = input.GroupName === undefined ? DEFAULT_GROUP : checkName(input.GroupName, 'groupName');
  const expression = optionalString(input, 'ScheduleExpression', 256);
  if (!expression) throw schedulerErrors.validation("1 validation error detected: Value null at 'scheduleExpression' failed to satisfy constraint: Member must not be null");
  if (!parseSchedulerExpression(expression)) throw schedulerErrors.validation(`Invalid Schedule Expression ${expression}.`);
  const zone = optionalString(input, 'ScheduleExpressionTimezone', 50);
  if (zone !== undefined && !isKnownZone(zone)) throw schedulerErrors.validation(`Invalid ScheduleExpressionTimezone ${zone}.`);
  const flexible = flexibleWindow(input);
  const scheduleTarget = target(input);
  const start = optionalDate(input, 'StartDate');
  const end = optionalDate(input, 'EndDate');
  if (start !== undefined && end !== undefined && start >= end) throw schedulerErrors.validation('The StartDate must come before the EndDate.');
  const now = deps.clock.now();
  if (end !== undefined && end <= now) throw schedulerErrors.validation('The EndDate must be in the future.');
  if (!(await deps.store.getGroup(scope, group))) throw schedulerErrors.groupNotFound(group);
  const existing = await deps.store.getSchedule(scope, group, name);
  if (mode === 'create' && existing) throw schedulerErrors.scheduleExists(name);
  if (mode === 'update' && !existing) throw schedulerErrors.scheduleNotFound(name);
  const doc: ScheduleDoc = {
    Name: name, GroupName: group, Arn: scheduleArn(scope.region, scope.accountId, group, name), ScheduleExpression: expression,
    State: enumValue(input, 'State', 'state', ['ENABLED', 'DISABLED'] as const, 'ENABLED'),
    FlexibleTimeWindow: flexible, Target: scheduleTarget,
    ActionAfterCompletion: enumValue(input, 'ActionAfterCompletion', 'actionAfterCompletion', ['NONE', 'DELETE'] as const, 'NONE'),
    CreationDate: existing?.CreationDate ?? now, LastModificationDate: now,
  };
  if (zone !== undefined) doc.ScheduleExpressionTimezone = zone;
  const description = optionalString(input, 'Description', 512);
  if (description !== undefined) doc.Description = description;
  if (start !== undefined) doc.StartDate = start;
  if (end !== undefined) doc.EndDate = end;
  const kms = optionalString(input, 'KmsKeyArn', 2048);
  if (kms !== undefined) doc.KmsKeyArn = kms;
  const next = nextScheduledFiring(doc, now);
  if (mode === 'create') await deps.store.insertSchedule(scope, doc, next);
  else await deps.store.updateSchedule(scope, doc, next);
  deps.onSchedulesChanged();
  return jsonResponse(200, { ScheduleArn: doc.Arn });
}

function groupOf(req: RestJsonRequest): string {
  const group = req.query.get('groupName');
  return group === null ? DEFAULT_GROUP : checkName(group, 'groupName');
}

async function getSchedule(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const scope = scopeOf(req);
  const name = checkName(req.params.Name, 'name');
  const group = groupOf(req);
  if (!(await deps.store.getGroup(scope, group))) throw schedulerErrors.groupNotFound(group);
  const doc = await deps.store.getSchedule(scope, group, name);
  if (!doc) throw schedulerErrors.scheduleNotFound(name);
  return jsonResponse(200, scheduleView(doc));
}

async function deleteSchedule(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const scope = scopeOf(req);
  const name = checkName(req.params.Name, 'name');
  const group = groupOf(req);
  if (!(await deps.store.getGroup(scope, group))) throw schedulerErrors.groupNotFound(group);
  if (!(await deps.store.getSchedule(scope, group, name))) throw schedulerErrors.scheduleNotFound(name);
  await deps.store.deleteSchedule(scope, group, name);
  deps.onSchedulesChanged();
  return jsonResponse(200, {});
}

/** Pages of MaxResults (default 100); NextToken is the offset of the next page. */
export function page<T>(items: T[], req: RestJsonRequest): { items: T[]; nextToken?: string } {
  const maxText = req.query.get('MaxResults');
  const max = maxText === null ? 100 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw schedulerErrors.validation("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100");
  const token = req.query.get('NextToken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw schedulerErrors.validation('Invalid NextToken');
  const slice = items.slice(offset, offset + max);
  return offset + max < items.length ? { items: slice, nextToken: Buffer.from(String(offset + max)).toString('base64url') } : { items: slice };
}

async function listSchedules(deps: SchedulerDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const scope = scopeOf(req);
  const groupText = req.query.get('ScheduleGroup');
  const group = groupText === null ? undefined : checkName(groupText, 'groupName');
  if (group !== undefined && !(await deps.store.getGroup(scope, group))) throw schedulerErrors.groupNotFound(group);
  const prefix = req.query.get('NamePrefix');
  const state = req.query.get('State');
  if (state !== null && state !== 'ENABLED' && state !== 'DISABLED') throw schedulerErrors.validation(`1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
  const docs = (await deps.store.listSchedules(scope, group)).filter((d) => (prefix === null || d.Name.startsWith(prefix)) && (state === null || d.State === state));
  const { items, nextToken } = page(docs, req);
  return jsonResponse(200, {
    Schedules: items.map((d) => ({
      Arn: d.Arn, CreationDate: d.CreationDate / 1000, GroupName: d.GroupName, LastModificationDate: d.LastModificationDate / 1000, Name: d.Name, State: d.State, Target: { Arn: d.Target.Arn },
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  });
}
