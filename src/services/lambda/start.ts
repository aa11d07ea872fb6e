import type { StartedService } from '../../contracts/started-service.js';
import { codeDownloadRoute } from './code-download.js';
import { debugRoutes } from './debug-routes.js';
import type { LambdaDeps } from './deps.js';
import { recoverEventSourceMappings } from './esm-transitions.js';
import { KeyedLock } from '../../keyed-lock.js';
import type { HostFolderPolicy } from './hot-reload/folder-access.js';
import { HostFolderCode } from './hot-reload/host-folder-code.js';
import { HostFolderLayers } from './hot-reload/host-folder-layers.js';
import { LayersTable } from './tables/layers-table.js';
import { recoverProvisionedConcurrency } from './provisioned-environments.js';
import { ProvisionedPlacement, type ProvisionedClusterView } from './provisioned-placement.js';
import { Provisioner } from './provisioner.js';
import { createLambdaService } from './service.js';
import { resetLambda } from './state-reset.js';

export interface StartedLambda extends StartedService {
  /** The per-function and per-mapping lock; stream mappings hold it to write LastProcessingResult. */
  lock: KeyedLock;
  /** Re-creates provisioned environments in the background (they need the endpoint URL; startup does not wait for their Init). */
  start(): void;
  /**
   * Settles every version left Pending or InProgress (a cluster member died before settling what it
   * created or updated: without this, the version waits for that node's restart).
   */
  settleUnsettled(): Promise<void>;
  close(): void;
}

/**
 * The Lambda API: versions a crash left Pending or InProgress settled, event source mappings a
 * crash left in a transitional state settled, then the API and the code-download route.
 */
export async function startLambda(
  options: Omit<LambdaDeps, 'provisioner' | 'transitionDelayMs' | 'lock' | 'hostFolders' | 'hostFolderLayers' | 'provisionedPlacement'> & {
    provisioningDelayMs: number;
    hostFolderPolicy?: HostFolderPolicy;
    /** A cluster's view of provisioned environments, and how often a node passes over the configs. */
    provisionedCluster?: { view: ProvisionedClusterView; passMs: number };
  },
): Promise<StartedLambda> {
  const { provisioningDelayMs, hostFolderPolicy, provisionedCluster, ...given } = options;
  const lock = new KeyedLock();
  const provisioner = new Provisioner(given.functions, lock, given.clock, provisioningDelayMs, given.logger, given.images);
  await provisioner.recover();
  const hostFolders = hostFolderPolicy
    ? new HostFolderCode({ policy: hostFolderPolicy, functions: given.functions, lock, clock: given.clock, logger: given.logger, engine: given.engine })
    : undefined;
  await hostFolders?.recover();
  const hostFolderLayers = hostFolderPolicy ? new HostFolderLayers({ layers: new LayersTable(given.db), logger: given.logger, engine: given.engine }) : undefined;
  await hostFolderLayers?.recover();
  const deps: LambdaDeps = { ...given, provisioner, transitionDelayMs: provisioningDelayMs, lock, ...(hostFolders ? { hostFolders } : {}), ...(hostFolderLayers ? { hostFolderLayers } : {}) };
  if (provisionedCluster && given.engine) deps.provisionedPlacement = new ProvisionedPlacement(deps, provisionedCluster.view, provisionedCluster.passMs);
  await recoverEventSourceMappings(deps);
  return {
    service: createLambdaService(deps),
    internalRoutes: [codeDownloadRoute(deps), ...debugRoutes(deps)],
    lock,
    reset: () => resetLambda(deps),
    start() {
      if (deps.provisionedPlacement) deps.provisionedPlacement.start();
      else recoverProvisionedConcurrency(deps).catch((err: unknown) => deps.logger.error({ err }, 'provisioned concurrency not recovered'));
    },
    settleUnsettled: () => provisioner.recover(),
    close: () => {
      deps.provisionedPlacement?.close();
      provisioner.close();
      hostFolders?.close();
      hostFolderLayers?.close();
    },
  };
}
