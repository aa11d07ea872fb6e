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

  /**
   * Reads the bus's policy and writes back what `change` makes of it, in one transaction, so two
   * permissions added at once are both kept (each wrote back a policy read before the other's
   * write, on PostgreSQL). `change` may run again (a transaction the store retries) and may throw
   * to refuse: it only computes.
   */
  async function changePolicy(scope: { accountId: string; region: string }, name: string, change: (current: BusPolicy | null) => BusPolicy | null): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('events_buses').select('policy')
        .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name)
        .executeTakeFirst();
      if (!row) throw errors.busNotFound(name);
      const policy = change(row.policy ? parseBusPolicy(row.policy) : null);
      await trx
        .updateTable('events_buses')
        .set({ policy: policy && policy.Statement.length > 0 ? JSON.stringify(policy) : null, last_modified_at: clock.now() })
        .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name)
        .execute();
    });
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
      const { scope, name } = await busOf(input.EventBusName, ctx);
      const text = str(input.Policy);
      if (text !== undefined) {
        const given = parseBusPolicy(text);
        await changePolicy(scope, name, () => given);
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
      await changePolicy(scope, name, (current) => {
        const policy: BusPolicy = current ?? { Version: '2012-10-17', Statement: [] };
        return { ...policy, Statement: [...policy.Statement.filter((s) => s.Sid !== sid), statement] };
      });
      return {};
    },

    async RemovePermission(input, ctx) {
      new ConstraintCheck()
        .pattern(input.EventBusName, 'eventBusName', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN)
        .pattern(input.StatementId, 'statementId', STATEMENT_ID, '[a-zA-Z0-9-_]+')
        .maxLength(input.StatementId, 'statementId', 64)
        .throwIfAny();
      const { scope, name } = await busOf(input.EventBusName, ctx);
      if (input.RemoveAllPermissions === true) {
        await changePolicy(scope, name, () => null);
        return {};
      }
      await changePolicy(scope, name, (policy) => {
        if (!policy) throw errors.busHasNoPolicy();
        const kept = policy.Statement.filter((s) => s.Sid !== input.StatementId);
        if (kept.length === policy.Statement.length) throw errors.statementNotFound();
        return { ...policy, Statement: kept };
      });
      return {};
    },
  };
}
