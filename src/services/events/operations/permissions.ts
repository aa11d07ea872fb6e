import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { busArn, busNameOf } from '../arns.js';
import { parseBusPolicy, PUT_EVENTS_ACTION, type BusPolicy } from '../bus-policy.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { findBus } from '../tables/buses.js';
import { BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN, ConstraintCheck, str } from '../validation.js';

const PRINCIPAL = /^(\d{12}|\*)$/;
const STATEMENT_ID = /^[a-zA-Z0-9-_]+$/;

/** PutPermission and RemovePermission: the bus's resource policy, which cross-account PutEvents is checked against. */
export function permissionOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  async function store(scope: { accountId: string; region: string }, name: string, policy: BusPolicy | null): Promise<void> {
    await db
      .updateTable('events_buses')
      .set({ policy: policy && policy.Statement.length > 0 ? JSON.stringify(policy) : null, last_modified_at: clock.now() })
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .execute();
  }

  /** The caller's bus named by name or ARN (the default bus when none is named), or ResourceNotFoundException. */
  async function busOf(eventBusName: unknown, ctx: { accountId: string; region: string }) {
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const name = busNameOf(eventBusName);
    const bus = await findBus(db, scope, name, clock.now());
    if (!bus) throw errors.busNotFound(name);
    return { scope, name, bus };
  }

  return {
    async PutPermission(input, ctx) {
      new ConstraintCheck()
        .pattern(input.EventBusName, 'eventBusName', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN)
        .pattern(input.Principal, 'principal', PRINCIPAL, '(\\d{12}|\\*)')
        .pattern(input.StatementId, 'statementId', STATEMENT_ID, '[a-zA-Z0-9-_]+')
        .maxLength(input.StatementId, 'statementId', 64)
        .throwIfAny();
      const { scope, name, bus } = await busOf(input.EventBusName, ctx);
      const text = str(input.Policy);
      if (text !== undefined) {
        await store(scope, name, parseBusPolicy(text));
        return {};
      }
      const principal = str(input.Principal);
      if (principal === undefined) throw errors.principalRequired();
      const condition = input.Condition as { Type?: string; Key?: string; Value?: string } | undefined;
      if (condition && principal !== '*') throw errors.conditionNeedsAnyPrincipal();
      if (str(input.Action) !== PUT_EVENTS_ACTION) throw errors.actionNotSupported();
      new ConstraintCheck().required(input.StatementId, 'statementId').throwIfAny();
      const sid = String(input.StatementId);
      const statement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` },
        Action: PUT_EVENTS_ACTION,
        Resource: busArn(scope, name),
        ...(condition?.Type && condition.Key ? { Condition: { [condition.Type]: { [condition.Key]: condition.Value ?? '' } } } : {}),
      };
      const policy: BusPolicy = bus.policy ? parseBusPolicy(bus.policy) : { Version: '2012-10-17', Statement: [] };
      policy.Statement = [...policy.Statement.filter((s) => s.Sid !== sid), statement];
      await store(scope, name, policy);
      return {};
    },

    async RemovePermission(input, ctx) {
      new ConstraintCheck()
        .pattern(input.EventBusName, 'eventBusName', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN)
        .pattern(input.StatementId, 'statementId', STATEMENT_ID, '[a-zA-Z0-9-_]+')
        .maxLength(input.StatementId, 'statementId', 64)
        .throwIfAny();
      const { scope, name, bus } = await busOf(input.EventBusName, ctx);
      if (input.RemoveAllPermissions === true) {
        await store(scope, name, null);
        return {};
      }
      if (!bus.policy) throw errors.busHasNoPolicy();
      const policy = parseBusPolicy(bus.policy);
      const kept = policy.Statement.filter((s) => s.Sid !== input.StatementId);
      if (kept.length === policy.Statement.length) throw errors.statementNotFound();
      await store(scope, name, { ...policy, Statement: kept });
      return {};
    },
  };
}
