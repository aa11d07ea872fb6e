import type { Store } from '../../store/database.js';
import { functionArn } from './arns.js';
import { EVENT_INVOKE_MAX_AGE_SECONDS_DEFAULT, EVENT_INVOKE_RETRY_ATTEMPTS_DEFAULT } from './limits.js';
import type { FunctionEventInvokeConfig, FunctionRef } from './model.js';
import type { FunctionsTable } from './tables/functions-table.js';
import { QualifiedConfigsTable } from './tables/qualified-configs-table.js';

/** Where an asynchronous invocation's outcome goes, as the function's configuration says now. */
export interface EventInvokeTargets {
  /** The qualified ARN records name: the qualifier invoked, `$LATEST` when none. */
  functionArn: string;
  onSuccess?: string;
  onFailure?: string;
  /** The version's `DeadLetterConfig.TargetArn`. */
  deadLetter?: string;
}

/** What one asynchronous attempt must respect, read when it starts so a change meanwhile applies. */
export interface EventInvokeSettings {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  targets: EventInvokeTargets;
}

/** The event-invoke config of the qualifier invoked (function, version or alias), with AWS's defaults. */
export async function readEventInvokeSettings(db: Store, functions: FunctionsTable, ref: FunctionRef, deadLetterArn: string | undefined): Promise<EventInvokeSettings> {
  const { scope, name, qualifier } = ref;
  const configs = new QualifiedConfigsTable<FunctionEventInvokeConfig>(db, 'event-invoke-config');
  const key = qualifier ?? '$LATEST';
  // Cached with the function's rows: the config's writers drop it (here and on other nodes).
  const config = await functions.readAttached(scope, name, `event-invoke-config/${key}`, async () => (await configs.get(scope, name, key))?.config);
  return {
    maximumRetryAttempts: config?.MaximumRetryAttempts ?? EVENT_INVOKE_RETRY_ATTEMPTS_DEFAULT,
    maximumEventAgeSeconds: config?.MaximumEventAgeInSeconds ?? EVENT_INVOKE_MAX_AGE_SECONDS_DEFAULT,
    targets: {
      functionArn: functionArn(scope.region, scope.accountId, name, qualifier ?? '$LATEST'),
      onSuccess: config?.DestinationConfig.OnSuccess.Destination || undefined,
      onFailure: config?.DestinationConfig.OnFailure.Destination || undefined,
      deadLetter: deadLetterArn || undefined,
    },
  };
}
