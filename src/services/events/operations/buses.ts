import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { busArn, busNameOf, DEFAULT_BUS, type Scope } from '../arns.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_BUS_NAME_CHARS } from '../limits.js';
import { ensureDefaultBus, findBus, listBuses, type BusRow } from '../tables/buses.js';
import { BUS_NAME, BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN, BUS_NAME_SHOWN, ConstraintCheck, page, str } from '../validation.js';
import { tagsFromList } from './tags.js';

const seconds = (ms: number) => ms / 1000;

function busView(scope: Scope, row: BusRow): Record<string, unknown> {
  return {
    Name: row.name,
    Arn: busArn(scope, row.name),
    ...(row.description ? { Description: row.description } : {}),
    ...(row.policy ? { Policy: row.policy } : {}),
    CreationTime: seconds(row.created_at),
    LastModifiedTime: seconds(row.last_modified_at),
  };
}

export function busOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;
  return {
    async CreateEventBus(input, ctx) {
      const name = str(input.Name);
      new ConstraintCheck().required(input.Name, 'name').pattern(name, 'name', BUS_NAME, BUS_NAME_SHOWN).maxLength(name, 'name', MAX_BUS_NAME_CHARS).throwIfAny();
      const scope = { accountId: ctx.accountId, region: ctx.region };
      if (name === DEFAULT_BUS || (await findBus(db, scope, name!, clock.now()))) throw errors.busExists(name!);
      const now = clock.now();
      await ensureDefaultBus(db, scope, now);
      await db
        .insertInto('events_buses')
        .values({ account_id: scope.accountId, region: scope.region, name: name!, description: str(input.Description) ?? null, tags: JSON.stringify(tagsFromList(input.Tags)), created_at: now, last_modified_at: now })
        .execute();
      return { EventBusArn: busArn(scope, name!), ...(str(input.Description) ? { Description: input.Description } : {}) };
    },

    async DescribeEventBus(input, ctx) {
      new ConstraintCheck().pattern(input.Name, 'name', BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_SHOWN).throwIfAny();
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const name = busNameOf(input.Name);
      const row = await findBus(db, scope, name, clock.now());
      if (!row) throw errors.busNotFound(name);
      return busView(scope, row);
    },

    async ListEventBuses(input, ctx) {
      const scope = { accountId: ctx.accountId, region: ctx.region };
      await ensureDefaultBus(db, scope, clock.now());
      const rows = await listBuses(db, scope, str(input.NamePrefix));
      const { items, nextToken } = page(rows, input.Limit, input.NextToken);
      return { EventBuses: items.map((row) => busView(scope, row)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async DeleteEventBus(input, ctx) {
      new ConstraintCheck().required(input.Name, 'name').pattern(input.Name, 'name', BUS_NAME, BUS_NAME_SHOWN).throwIfAny();
      const name = str(input.Name)!;
      if (name === DEFAULT_BUS) throw errors.cannotDeleteDefaultBus();
      const scope = { accountId: ctx.accountId, region: ctx.region };
      if (!(await findBus(db, scope, name, clock.now()))) throw errors.busNotFound(name);
      await db.transaction().execute(async (trx) => {
        const where = { account_id: scope.accountId, region: scope.region };
        await trx.deleteFrom('events_targets').where('account_id', '=', where.account_id).where('region', '=', where.region).where('bus_name', '=', name).execute();
        await trx.deleteFrom('events_rules').where('account_id', '=', where.account_id).where('region', '=', where.region).where('bus_name', '=', name).execute();
        await trx.deleteFrom('events_buses').where('account_id', '=', where.account_id).where('region', '=', where.region).where('name', '=', name).execute();
      });
      return {};
    },
  };
}

