import type { Store } from '../../../store/database.js';
import type { Scope } from '../model.js';
import { deleteQualifierAttachments } from './qualifier-attachments.js';

/** The AliasConfiguration document as the API returns it; stored exactly so in `lambda_aliases.config`. */
export interface AliasConfiguration {
  AliasArn: string;
  Name: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  RevisionId: string;
}


export async function readAlias(db: Store, scope: Scope, functionName: string, name: string): Promise<AliasConfiguration | undefined> {
  const row = await db
    .selectFrom('lambda_aliases')
    .select('config')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('function_name', '=', functionName)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && (JSON.parse(row.config) as AliasConfiguration);
}

export async function writeAlias(db: Store, scope: Scope, functionName: string, alias: AliasConfiguration): Promise<void> {
  const config = JSON.stringify(alias);
  await db
    .insertInto('lambda_aliases')
    .values({ account_id: scope.accountId, region: scope.region, function_name: functionName, name: alias.Name, config })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'function_name', 'name']).doUpdateSet({ config }))
    .execute();
}

export async function listStoredAliases(db: Store, scope: Scope, functionName: string): Promise<AliasConfiguration[]> {
  const rows = await db
    .selectFrom('lambda_aliases')
    .select('config')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('function_name', '=', functionName)
    .orderBy('name')
    .execute();
  return rows.map((r) => JSON.parse(r.config) as AliasConfiguration);
}

/** The alias and everything configured on its qualified ARN (policy, URL, provisioned concurrency…). */
export async function removeAlias(db: Store, scope: Scope, functionName: string, name: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('lambda_aliases')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .where('name', '=', name)
      .execute();
    await deleteQualifierAttachments(trx, scope, functionName, name);
  });
}
