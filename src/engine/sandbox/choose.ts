import path from 'node:path';
import type { Logger } from '../../logger.js';
import { probeBubblewrap, BubblewrapSandbox } from './bubblewrap.js';
import { Cgroups } from './cgroups.js';
import type { LayerCodeLookup } from './layer-lookup.js';
import { LayerSets } from './layers.js';
import { which } from './executable.js';
import { probeFunctionNetwork } from './network-probe.js';
import { PlainSandbox } from './plain.js';
import { clearStaleTmps } from './private-tmp.js';
import type { Sandbox } from './sandbox.js';
import { SpareEnvironments } from './spare-environments.js';

/** A runtime no function started for 10 minutes keeps no spare running. */
const SPARE_IDLE_MS = 10 * 60_000;
import { unprivilegedAccount } from './unprivileged-user.js';

export interface SandboxOptions {
  dataDir: string;
  blobPath: (hex: string) => Promise<string>;
  layerCode: LayerCodeLookup;
  logger: Logger;
  /** `plain` skips bubblewrap even where it works (LAMBKIN_ISOLATION=plain). */
  isolation?: 'auto' | 'plain';
  /** Lambkin's own URL (known once the server listens): environments reach it on loopback. */
  endpointUrl: () => string;
  /** Host loopback ports functions may reach besides Lambkin's (`LAMBKIN_FUNCTION_HOST_PORTS`). */
  functionHostPorts?: number[];
  /** `host` keeps environments on the host's network (LAMBKIN_FUNCTION_NETWORK=host). */
  functionNetwork?: 'isolated' | 'host';
  /** The loopback port Lambkin serves functions' own calls on (contracts/function-traffic.ts), once it listens. */
  functionsPort?: () => number | null;
  /** Spare environments per runtime in use (spare-environments.ts); 0 or absent: none. */
  spareEnvironments?: number;
}

/**
 * Probes once at startup: bubblewrap when a trial sandbox starts, else plain processes with a
 * loud warning. cgroups are used by either when the host offers them.
 */
export async function chooseSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { logger } = options;
  const layers = new LayerSets(path.join(options.dataDir, 'layers'), options.blobPath, options.layerCode);
  const cgroups = await Cgroups.detect(logger);
  const user = await unprivilegedAccount();
  const probe = options.isolation === 'plain' ? { ok: false as const, reason: 'LAMBKIN_ISOLATION=plain' } : await probeBubblewrap(user);
  if (probe.ok) {
    const allowed = options.functionHostPorts ?? [];
    const net = options.functionNetwork === 'host'
      ? { ok: false as const, reason: 'LAMBKIN_FUNCTION_NETWORK=host' }
      : await probeFunctionNetwork(probe, options.endpointUrl, allowed, logger, options.functionsPort);
    if (net.ok) {
      logger.info({ isolation: 'bubblewrap', cgroups: cgroups.kind, network: 'namespace', hostPorts: allowed }, 'functions run in bubblewrap sandboxes, each in its own network namespace');
    } else {
      logger.warn(
        { isolation: 'bubblewrap', cgroups: cgroups.kind, network: 'host', reason: net.reason },
        `FUNCTION NETWORK IS NOT ISOLATED: ${net.reason}; functions share the host's network and can reach its loopback services and other functions' Runtime APIs${options.functionNetwork === 'host' ? '' : ' (install passt)'}`,
      );
    }
    // With pasta but no nsenter pasta forwards each environment's Runtime API from a host port
    // chosen at its start: a spare could not be given one before it starts.
    if (net.ok && !net.nsenter) return new BubblewrapSandbox({ bwrap: probe.bwrap, setpriv: probe.setpriv }, user, cgroups, layers, path.join(options.dataDir, 'images'), options.blobPath, net.network, null);
    return withSpares(new BubblewrapSandbox({ bwrap: probe.bwrap, setpriv: probe.setpriv }, user, cgroups, layers, path.join(options.dataDir, 'images'), options.blobPath, net.ok ? net.network : null, net.ok ? net.nsenter : null), options);
  }
  logger.warn(
    { isolation: 'plain', cgroups: cgroups.kind, reason: probe.reason },
    `FUNCTIONS ARE NOT ISOLATED: bubblewrap is unavailable (${probe.reason}); they run as plain processes that can see the host filesystem`,
  );
  const setpriv = await which('setpriv');
  if (!setpriv) logger.warn('setpriv (Debian package util-linux) is missing: function processes may outlive a killed server');
  const root = process.platform === 'linux' && process.getuid?.() === 0;
  if (root) await clearStaleTmps();
  return withSpares(new PlainSandbox(cgroups, layers, { setpriv, mountTmpfs: root }), options);
}

/** Spare environments in front of the sandbox, unless they are turned off. */
async function withSpares(sandbox: Sandbox, options: SandboxOptions): Promise<Sandbox> {
  if (!options.spareEnvironments) return sandbox;
  const dir = path.join(options.dataDir, 'spares');
  await SpareEnvironments.clearStale(dir);
  return new SpareEnvironments(sandbox, { dir, perRuntime: options.spareEnvironments, idleMs: SPARE_IDLE_MS, logger: options.logger });
}
