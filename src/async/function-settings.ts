import { pickWeightedVersion } from '../services/lambda/alias-routing.js';
import { functionArn } from '../services/lambda/arns.js';
import type { Scope } from '../services/lambda/model.js';
import type { FunctionEventInvokeConfig } from '../services/lambda/operations/event-invoke-configs.js';
import { readAlias } from '../services/lambda/tables/aliases-table.js';
import type { FunctionRow, FunctionsTable, VersionRow } from '../services/lambda/tables/functions-table.js';
import { QualifiedConfigsTable } from '../services/lambda/tables/qualified-configs-table.js';
import type { Store } from '../store/database.js';
import { MAX_EVENT_AGE_SECONDS_DEFAULT, RETRY_ATTEMPTS_DEFAULT } from './limits.js';
import type { OutcomeTargets } from './outcome-delivery.js';

/** Everything one attempt needs to know about the function, read when the attempt starts. */
export interface AttemptSettings {
  fn: FunctionRow;
  /** The version this attempt runs (an alias draws by its weights), with its stored row. */
  version: string;
  row: VersionRow;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  targets: OutcomeTargets;
}

/**
 * Reads the function, the version the qualifier names now, and the event-invoke config of that
 * qualifier (function, version or alias). Undefined when the function or qualifier is gone.
 */
export async function readAttemptSettings(
  db: Store,
  functions: FunctionsTable,
  scope: Scope,
  name: string,
  qualifier: string | null,
): Promise<AttemptSettings | undefined> {
  const fn = await functions.getFunction(scope, name);
  if (!fn) return undefined;
  let version: string | undefined = !qualifier ? '$LATEST' : qualifier;
  if (qualifier && qualifier !== '$LATEST' && !/^\d+$/.test(qualifier)) {
    const alias = await readAlias(db, scope, name, qualifier);
    version = alias ? pickWeightedVersion(alias.FunctionVersion, alias.RoutingConfig?.AdditionalVersionWeights) : undefined;
  }
  const row = version ? await functions.getVersion(scope, name, version) : undefined;
  if (!version || !row) return undefined;
  const configs = new QualifiedConfigsTable<FunctionEventInvokeConfig>(db, 'event-invoke-config');
  const config = (await configs.get(scope, name, qualifier ?? '$LATEST'))?.config;
  return {
    fn,
    version,
    row,
    maximumRetryAttempts: config?.MaximumRetryAttempts ?? RETRY_ATTEMPTS_DEFAULT,
    maximumEventAgeSeconds: config?.MaximumEventAgeInSeconds ?? MAX_EVENT_AGE_SECONDS_DEFAULT,
    targets: {
      // Records always name a qualified ARN: the qualifier invoked, `$LATEST` when none.
      functionArn: functionArn(scope.region, scope.accountId, name, qualifier ?? '$LATEST'),
      onSuccess: config?.DestinationConfig.OnSuccess.Destination || undefined,
      onFailure: config?.DestinationConfig.OnFailure.Destination || undefined,
      deadLetter: row.config.DeadLetterConfig?.TargetArn || undefined,
    },
  };
}
