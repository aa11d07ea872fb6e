import { installedNode, installNode, lastFailedInstall } from './node-install.js';
import { nodeRuntimeMajor } from './node-package.js';

/** A failed install is not retried for this long: every cold start would otherwise wait on npm. */
const RETRY_FAILED_INSTALL_MS = 5 * 60_000;

const HOST_MAJOR = Number(process.versions.node.split('.')[0]);

/** The Node binary that runs a `nodejsNN.x` function, and why it is not that major's own when it is not. */
export interface NodeInterpreter {
  command: string;
  version: string;
  /** Set when the function runs on the host's Node instead of its major: said in its log and in listings. */
  warning?: string;
  /** Listings only: the major is not installed yet and would be on first use. */
  notInstalled?: boolean;
}

/**
 * Runtime id → Node binary of that major: the host's own Node when the majors match, else the
 * release installed under `root` (from the npm registry, on first use). Where that cannot be had,
 * the host's Node runs the function, with a warning — never silently.
 */
export class NodeInterpreters {
  private readonly installs = new Map<number, Promise<void>>();
  private readonly failures = new Map<number, { reason: string; at: number }>();

  /** `root`: where releases are installed; null runs every Node runtime on the host's Node (with the warning). */
  constructor(private readonly root: string | null) {}

  /** For a launch: installs the major if needed (first Init waits for it) unless `install` is false. */
  async resolve(runtime: string, options: { install: boolean } = { install: true }): Promise<NodeInterpreter> {
    const major = nodeRuntimeMajor(runtime);
    if (major === null || major === HOST_MAJOR) return host();
    if (!this.root) return host(fallbackWarning(runtime, major, 'this Lambkin has no directory to install Node releases into'));
    const installed = await installedNode(this.root, major);
    if (installed) return { command: installed.node, version: installed.version };
    if (!options.install) {
      const failed = await lastFailedInstall(this.root, major);
      if (failed) return host(fallbackWarning(runtime, major, failed.reason));
      return { ...host(), notInstalled: true };
    }
    const failure = await this.install(major);
    if (failure) return host(fallbackWarning(runtime, major, failure));
    const now = await installedNode(this.root, major);
    return now ? { command: now.node, version: now.version } : host(fallbackWarning(runtime, major, 'the installed release disappeared'));
  }

  /** Starts installing the runtime's major in the background if it is not installed (CreateFunction does, so the first Init need not wait). */
  prefetch(runtime: string): void {
    const major = nodeRuntimeMajor(runtime);
    if (major === null || major === HOST_MAJOR || !this.root) return;
    const root = this.root;
    void installedNode(root, major).then((installed) => (installed ? null : this.install(major)));
  }

  /** Installs once per major at a time; resolves to the failure reason, or null when installed. */
  private async install(major: number): Promise<string | null> {
    const failed = this.failures.get(major);
    if (failed && Date.now() - failed.at < RETRY_FAILED_INSTALL_MS) return failed.reason;
    let running = this.installs.get(major);
    if (!running) {
      running = installNode(this.root!, major).then(
        () => {
          this.failures.delete(major);
        },
        (err: unknown) => {
          this.failures.set(major, { reason: (err as Error).message, at: Date.now() });
        },
      );
      running.finally(() => this.installs.delete(major)).catch(() => undefined);
      this.installs.set(major, running);
    }
    await running;
    return this.failures.get(major)?.reason ?? null;
  }
}

function host(warning?: string): NodeInterpreter {
  return { command: process.execPath, version: process.versions.node, ...(warning ? { warning } : {}) };
}

function fallbackWarning(runtime: string, major: number, reason: string): string {
  return `WARNING Lambkin: ${runtime} runs on the Lambkin host's Node ${process.versions.node}, not Node ${major}: Node ${major} could not be installed (${reason}). Run 'lambkin runtimes install ${runtime}' once the npm registry is reachable.`;
}
