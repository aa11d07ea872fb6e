import type { SessionCredentials } from '../../auth/session-credentials.js';
import type { Clock } from '../../clock.js';
import { accountPrincipal } from '../../contracts/principal.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { CfnDeps } from './deps.js';
import { StackRecorder } from './engine/recorder.js';
import { StackEngine } from './engine/stack-engine.js';
import { OPERATION_SETTLE_WAIT_MS, PROVIDER_SESSION_SECONDS } from './limits.js';
import { AwsClients } from './providers/clients.js';
import { resourceProviders } from './providers/index.js';
import { createCloudFormationService } from './service.js';
import { ChangeSetsTable } from './tables/change-sets.js';
import { StackEventsTable } from './tables/stack-events.js';
import { StackResourcesTable } from './tables/stack-resources.js';
import { StacksTable } from './tables/stacks.js';

export interface CloudFormationOptions {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** Issues the account sessions resource providers sign their loopback calls with. */
  sessions: SessionCredentials;
  /** This server's URL as functions and loopback clients reach it (known once it listens). */
  endpointUrl: () => string;
  /** How long CreateStack and the like wait for their operation (OPERATION_SETTLE_WAIT_MS; 0 answers at once). */
  settleWaitMs?: number;
}

export interface StartedCloudFormation extends StartedService {
  /** Picks up operations a previous process left under way (after the server listens). */
  start(): Promise<void>;
  /** Resolves once no stack operation runs (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** CloudFormation: its tables, the stack engine and the loopback clients its resource providers use. */
export function startCloudFormation(options: CloudFormationOptions): StartedCloudFormation {
  const stacks = new StacksTable(options.db);
  const resources = new StackResourcesTable(options.db);
  const events = new StackEventsTable(options.db);
  const changeSets = new ChangeSetsTable(options.db);
  const recorder = new StackRecorder(stacks, resources, events, options.clock);
  const sessions = new Map<string, { clients: AwsClients; expiresAt: number }>();

  // One session per account and region, re-issued an hour before it ends: providers act for the
  // stack's account as CloudFormation acts with its caller's permissions.
  async function clients(accountId: string, region: string): Promise<AwsClients> {
    const key = `${accountId}/${region}`;
    const cached = sessions.get(key);
    if (cached && cached.expiresAt - 3600_000 > options.clock.now()) return cached.clients;
    cached?.clients.destroy();
    const s = await options.sessions.issue({ principal: accountPrincipal(accountId), kind: 'account', principalKey: '', durationSeconds: PROVIDER_SESSION_SECONDS });
    const made = new AwsClients(options.endpointUrl(), region, async () => ({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken }));
    sessions.set(key, { clients: made, expiresAt: s.expiresAt });
    return made;
  }

  const engine = new StackEngine({ stacks, resources, changeSets, recorder, providers: resourceProviders, clients, logger: options.logger });
  const deps: CfnDeps = { clock: options.clock, logger: options.logger, stacks, resources, events, changeSets, recorder, engine, clients, settleWaitMs: options.settleWaitMs ?? OPERATION_SETTLE_WAIT_MS };
  return {
    service: createCloudFormationService(deps),
    async start() {
      await engine.resume();
    },
    idle: () => engine.idle(),
    // Every stack of every account with its resources' records, events and change sets; the
    // resources themselves stay in their services (reset those too to empty them), as a stack's
    // resources with DeletionPolicy Retain stay after DeleteStack.
    reset: async () => {
      await engine.abandonAll();
      await options.db.transaction().execute(async (trx) => {
        for (const table of ['cfn_stack_events', 'cfn_stack_resources', 'cfn_change_sets', 'cfn_stacks'] as const) await trx.deleteFrom(table).execute();
      });
    },
    async close() {
      await engine.close();
      for (const s of sessions.values()) s.clients.destroy();
      sessions.clear();
    },
  };
}
