import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { busNameOf } from '../arns.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { validateTargetInput } from '../input-transform.js';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, MAX_TARGET_ID_CHARS, MAX_TARGETS_PER_CALL, MAX_TARGETS_PER_RULE, MIN_MAXIMUM_EVENT_AGE_SECONDS } from '../limits.js';
import type { Target } from '../model.js';
import { findRule } from '../tables/rules.js';
import { listTargets } from '../tables/targets.js';
import { BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN, ConstraintCheck, page, RULE_NAME, RULE_NAME_SHOWN, TARGET_ID } from '../validation.js';

const ARN = /^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

export function targetOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  function checkRuleRef(input: Record<string, unknown>, check = new ConstraintCheck()): ConstraintCheck {
    return check
      .required(input.Rule, 'rule')
      .pattern(input.Rule, 'rule', RULE_NAME, RULE_NAME_SHOWN)
      .maxLength(input.Rule, 'rule', 64)
      .pattern(input.EventBusName, 'eventBusName', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN);
  }

  async function ruleOf(input: Record<string, unknown>, scope: { accountId: string; region: string }) {
    const busName = busNameOf(input.EventBusName);
    const rule = await findRule(db, scope, busName, String(input.Rule));
    if (!rule) throw errors.ruleNotFound(String(input.Rule), busName);
    return rule;
  }

  return {
    async PutTargets(input, ctx) {
      const targets = Array.isArray(input.Targets) ? (input.Targets as Target[]) : [];
      const check = checkRuleRef(input).required(input.Targets, 'targets');
      check.listLength(input.Targets, 'targets', 1, MAX_TARGETS_PER_CALL);
      targets.forEach((t, i) => {
        const member = `targets.${i + 1}.member`;
        check
          .required(t?.Id, `${member}.id`)
          .pattern(t?.Id, `${member}.id`, TARGET_ID, '[\\.\\-_A-Za-z0-9]+')
          .maxLength(t?.Id, `${member}.id`, MAX_TARGET_ID_CHARS)
          .required(t?.Arn, `${member}.arn`)
          .range(t?.RetryPolicy?.MaximumRetryAttempts, `${member}.retryPolicy.maximumRetryAttempts`, 0, DEFAULT_MAXIMUM_RETRY_ATTEMPTS)
          .range(t?.RetryPolicy?.MaximumEventAgeInSeconds, `${member}.retryPolicy.maximumEventAgeInSeconds`, MIN_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_EVENT_AGE_SECONDS);
      });
      check.throwIfAny();
      for (const t of targets) {
        if (!ARN.test(t.Arn)) throw errors.invalidTargetArn(t.Arn);
        validateTargetInput(t);
      }
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const rule = await ruleOf(input, scope);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const existing = await listTargets(trx, scope, rule.bus_name, rule.name);
        const ids = new Set([...existing.map((t) => t.Id), ...targets.map((t) => t.Id)]);
        if (ids.size > MAX_TARGETS_PER_RULE) throw errors.tooManyTargets();
        for (const t of targets) {
          await trx
            .insertInto('events_targets')
            .values({ account_id: scope.accountId, region: scope.region, bus_name: rule.bus_name, rule_name: rule.name, target_id: t.Id, config: JSON.stringify(t), created_at: now })
            .onConflict((oc) => oc.columns(['account_id', 'region', 'bus_name', 'rule_name', 'target_id']).doUpdateSet({ config: JSON.stringify(t) }))
            .execute();
        }
      });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async RemoveTargets(input, ctx) {
      const ids = Array.isArray(input.Ids) ? input.Ids.map(String) : [];
      checkRuleRef(input).required(input.Ids, 'ids').throwIfAny();
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const rule = await ruleOf(input, scope);
      if (ids.length > 0) {
        await db
          .deleteFrom('events_targets')
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('bus_name', '=', rule.bus_name)
          .where('rule_name', '=', rule.name)
          .where('target_id', 'in', ids)
          .execute();
      }
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async ListRuleNamesByTarget(input, ctx) {
      new ConstraintCheck().required(input.TargetArn, 'targetArn').pattern(input.EventBusName, 'eventBusName', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN).range(input.Limit, 'limit', 1, 100).throwIfAny();
      const busName = busNameOf(input.EventBusName);
      const rows = await db
        .selectFrom('events_targets')
        .select(['rule_name', 'config'])
        .where('account_id', '=', ctx.accountId)
        .where('region', '=', ctx.region)
        .where('bus_name', '=', busName)
        .orderBy('rule_name')
        .execute();
      const names = [...new Set(rows.filter((r) => (JSON.parse(r.config) as Target).Arn === input.TargetArn).map((r) => r.rule_name))];
      const { items, nextToken } = page(names, input.Limit, input.NextToken);
      return { RuleNames: items, ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async ListTargetsByRule(input, ctx) {
      checkRuleRef(input).range(input.Limit, 'limit', 1, 100).throwIfAny();
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const rule = await ruleOf(input, scope);
      const { items, nextToken } = page(await listTargets(db, scope, rule.bus_name, rule.name), input.Limit, input.NextToken);
      return { Targets: items, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  };
}
