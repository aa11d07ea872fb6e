import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Logger } from '../../logger.js';
import type { QueryParams } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import type { StackEngine } from './engine/stack-engine.js';
import type { StackRecorder } from './engine/recorder.js';
import type { AwsClients } from './providers/clients.js';
import type { ChangeSetsTable } from './tables/change-sets.js';
import type { StackEventsTable } from './tables/stack-events.js';
import type { StackResourcesTable } from './tables/stack-resources.js';
import type { StacksTable } from './tables/stacks.js';

export interface CfnDeps {
  clock: Clock;
  logger: Logger;
  stacks: StacksTable;
  resources: StackResourcesTable;
  events: StackEventsTable;
  changeSets: ChangeSetsTable;
  recorder: StackRecorder;
  engine: StackEngine;
  /** SDK clients over loopback for an account and region (templates from S3, resource providers). */
  clients(accountId: string, region: string): Promise<AwsClients>;
  /** How long an operation-starting call waits for the operation to end (see limits.ts). */
  settleWaitMs: number;
}

export interface CfnRequest {
  ctx: RequestContext;
  params: QueryParams;
}

export type CfnOperation = (deps: CfnDeps, req: CfnRequest) => Promise<Record<string, XmlValue> | undefined>;
