import type { RequestContext } from '../../../contracts/request-context.js';
import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { busNameOf, DEFAULT_BUS, ruleArn, type Scope } from '../arns.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_EVENT_PATTERN_CHARS, MAX_RULE_NAME_CHARS, MAX_SCHEDULE_EXPRESSION_CHARS } from '../limits.js';
import { RULE_STATES } from '../model.js';
import { compileEventPattern } from '../patterns.js';
import { InvalidScheduleExpression, parseScheduleExpression } from '../schedule/schedule-expression.js';
import { findBus } from '../tables/buses.js';
import { findRule, listRules, type RuleRow } from '../tables/rules.js';
import { countTargets } from '../tables/targets.js';
import { BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN, ConstraintCheck, page, RULE_NAME, RULE_NAME_SHOWN, str } from '../validation.js';
import { tagsFromList } from './tags.js';

function ruleView(scope: Scope, row: RuleRow, withCreatedBy: boolean): Record<string, unknown> {
  return {
    Name: row.name,
    Arn: ruleArn(scope, row.bus_name, row.name),
    ...(row.event_pattern !== null ? { EventPattern: row.event_pattern } : {}),
    ...(row.schedule_expression !== null ? { ScheduleExpression: row.schedule_expression } : {}),
    State: row.state,
    ...(row.description !== null ? { Description: row.description } : {}),
    ...(row.role_arn !== null ? { RoleArn: row.role_arn } : {}),
    EventBusName: row.bus_name,
    ...(withCreatedBy ? { CreatedBy: row.account_id } : {}),
  };
}

function scopeOf(ctx: RequestContext): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}

function checkRuleName(name: unknown): void {
  new ConstraintCheck()
    .required(name, 'name')
    .pattern(name, 'name', RULE_NAME, RULE_NAME_SHOWN)
    .maxLength(name, 'name', MAX_RULE_NAME_CHARS)
    .throwIfAny();
}

export function ruleOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  /** The named rule on the named bus, or AWS's not-found error. */
  async function existingRule(input: Record<string, unknown>, ctx: RequestContext): Promise<RuleRow> {
    checkRuleName(input.Name);
    const busName = busNameOf(input.EventBusName);
    const rule = await findRule(db, scopeOf(ctx), busName, String(input.Name));
    if (!rule) throw errors.ruleNotFound(String(input.Name), busName);
    return rule;
  }

  async function setState(rule: RuleRow, state: 'ENABLED' | 'DISABLED'): Promise<void> {
    const now = clock.now();
    // Re-enabling a schedule starts counting afresh: ticks missed while disabled never fire.
    const restart = state !== 'DISABLED' && rule.state === 'DISABLED' && rule.schedule_expression !== null;
    await db
      .updateTable('events_rules')
      .set(restart ? { state, schedule_anchor: now, last_fired_tick: null } : { state })
      .where('account_id', '=', rule.account_id)
      .where('region', '=', rule.region)
      .where('bus_name', '=', rule.bus_name)
      .where('name', '=', rule.name)
      .execute();
    deps.onRulesChanged?.();
  }

  return {
    async PutRule(input, ctx) {
      const name = str(input.Name);
      new ConstraintCheck()
        .required(input.Name, 'name')
        .pattern(name, 'name', RULE_NAME, RULE_NAME_SHOWN)
        .maxLength(name, 'name', MAX_RULE_NAME_CHARS)
        .maxLength(input.EventPattern, 'eventPattern', MAX_EVENT_PATTERN_CHARS)
        .maxLength(input.ScheduleExpression, 'scheduleExpression', MAX_SCHEDULE_EXPRESSION_CHARS)
        .oneOf(input.State, 'state', RULE_STATES)
        .pattern(input.EventBusName, 'eventBusName', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN)
        .maxLength(input.Description, 'description', 512)
        .throwIfAny();
      const scope = scopeOf(ctx);
      const busName = busNameOf(input.EventBusName);
      const pattern = str(input.EventPattern);
      const schedule = str(input.ScheduleExpression);
      if (!pattern && !schedule) throw errors.patternOrScheduleRequired();
      if (schedule) {
        if (busName !== DEFAULT_BUS) throw errors.scheduleOnlyOnDefaultBus();
        try {
          parseScheduleExpression(schedule);
        } catch (err) {
          if (err instanceof InvalidScheduleExpression) throw errors.invalidScheduleExpression();
          throw err;
        }
      }
      if (pattern) compileEventPattern(pattern);
      const now = clock.now();
      if (!(await findBus(db, scope, busName, now))) throw errors.busNotFound(busName);
      const existing = await findRule(db, scope, busName, name!);
      // A changed schedule counts from now, as a new rule would.
      const scheduleChanged = !existing || existing.schedule_expression !== (schedule ?? null);
      const fields = {
        event_pattern: pattern ?? null,
        schedule_expression: schedule ?? null,
        state: str(input.State) ?? 'ENABLED',
        description: str(input.Description) ?? null,
        role_arn: str(input.RoleArn) ?? null,
        ...(scheduleChanged ? { schedule_anchor: schedule ? now : null, last_fired_tick: null } : {}),
      };
      if (existing) {
        if (existing.state === 'DISABLED' && fields.state !== 'DISABLED' && schedule && !scheduleChanged) Object.assign(fields, { schedule_anchor: now, last_fired_tick: null });
        await db
          .updateTable('events_rules')
          .set(fields)
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('bus_name', '=', busName)
          .where('name', '=', name!)
          .execute();
      } else {
        await db
          .insertInto('events_rules')
          .values({
            account_id: scope.accountId,
            region: scope.region,
            bus_name: busName,
            name: name!,
            tags: JSON.stringify(tagsFromList(input.Tags)),
            created_at: now,
            schedule_anchor: schedule ? now : null,
            last_fired_tick: null,
            ...fields,
          })
          .execute();
      }
      deps.onRulesChanged?.();
      return { RuleArn: ruleArn(scope, busName, name!) };
    },

    async DescribeRule(input, ctx) {
      return ruleView(scopeOf(ctx), await existingRule(input, ctx), true);
    },

    async ListRules(input, ctx) {
      new ConstraintCheck().range(input.Limit, 'limit', 1, 100).throwIfAny();
      const scope = scopeOf(ctx);
      const busName = busNameOf(input.EventBusName);
      if (!(await findBus(db, scope, busName, clock.now()))) throw errors.busNotFound(busName);
      const rows = await listRules(db, scope, busName, str(input.NamePrefix));
      const { items, nextToken } = page(rows, input.Limit, input.NextToken);
      return { Rules: items.map((row) => ruleView(scope, row, false)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async EnableRule(input, ctx) {
      await setState(await existingRule(input, ctx), 'ENABLED');
      return {};
    },

    async DisableRule(input, ctx) {
      await setState(await existingRule(input, ctx), 'DISABLED');
      return {};
    },

    async DeleteRule(input, ctx) {
      checkRuleName(input.Name);
      const scope = scopeOf(ctx);
      const busName = busNameOf(input.EventBusName);
      const rule = await findRule(db, scope, busName, String(input.Name));
      if (!rule) return {};
      if ((await countTargets(db, scope, busName, rule.name)) > 0) throw errors.ruleHasTargets();
      await db
        .deleteFrom('events_rules')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('bus_name', '=', busName)
        .where('name', '=', rule.name)
        .execute();
      return {};
    },
  };
}
