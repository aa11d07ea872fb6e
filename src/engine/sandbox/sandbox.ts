import type { ChildProcess } from 'node:child_process';
import type { ImageRun } from '../image-run.js';
import type { RuntimeLaunch } from '../runtimes/catalog.js';
import type { CgroupKind } from './cgroups.js';
import type { NamespaceConnect } from './namespace-connector.js';
import type { SandboxUser } from './unprivileged-user.js';

export type IsolationLevel = 'bubblewrap' | 'plain';

/** Whom a function can reach: its own namespace (pasta), or the host's network as it is. */
export type NetworkIsolation = 'namespace' | 'host';

/** What one environment's runtime process needs; paths are host paths. */
export interface SandboxSpec {
  /** The environment id (names its cgroup). */
  id: string;
  launch: RuntimeLaunch;
  /** Extracted deployment package (`/var/task`), or a host folder (hot reload). */
  codeDir: string;
  /** `codeDir` is the user's own folder: nothing may be written in or beside it. */
  codeFromHostFolder?: boolean;
  /**
   * The runtime's debugger listens on this port of the environment's loopback (`lambkin debug`):
   * the same port of the host's loopback must reach it (forwarded into a network namespace).
   */
  debuggerPort?: number;
  /** Layer version ARNs in the function's order (`/opt`). */
  layerArns: string[];
  memoryMb: number;
  ephemeralStorageMb: number;
  /** Who to run as when the sandbox does not choose itself (plain processes only). */
  user: SandboxUser | null;
  /**
   * The function's environment (spec §3.2) without filesystem paths; the sandbox adds
   * `LAMBDA_TASK_ROOT`, `LAMBDA_RUNTIME_DIR` and search-path defaults the function's own
   * variables may override (`PATH`, `LD_LIBRARY_PATH`, `NODE_PATH`, `PYTHONPATH`).
   */
  env: Record<string, string>;
  /**
   * A container image function: the image's unpacked root becomes `/` and `argv` (ENTRYPOINT +
   * CMD) runs instead of `launch`; `codeDir` and layers are unused.
   */
  image?: { root: string; argv: string[]; workingDir: string; env: string[] };
}

/** Where accepted connections come from: a listening socket, or one whose early connections were held. */
export interface ConnectionSource {
  on(event: 'connection', listener: (socket: import('node:net').Socket) => void): unknown;
}

/** A started runtime process and what the sandbox knows about it. */
export interface SandboxedProcess {
  readonly child: ChildProcess;
  /**
   * Connects to a port on the environment's own loopback (an extension's Telemetry API listener);
   * absent when the environment shares the host's network, where a plain connect reaches it.
   */
  readonly connectInside?: NamespaceConnect;
  /**
   * The environment's Runtime API socket at 127.0.0.1:9001 inside its namespace: connections the
   * environment's Runtime API server accepts from it (absent where pasta forwards the port).
   */
  readonly runtimeApiListener?: ConnectionSource;
  /** Names of the external extensions started beside the runtime (`/opt/extensions/*`). */
  readonly extensions?: readonly string[];
  /** The process could not be started (e.g. a missing or non-executable `bootstrap`). */
  onError(listener: (err: NodeJS.ErrnoException) => void): void;
  /** An external extension's process ended, with its exit code or the signal that ended it. */
  onExtensionExit(listener: (name: string, code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** The runtime's exit as the function would see it (a wrapper's `128+N` becomes signal N). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** The Init phase is over: from now on the CPU share is proportional to memory. */
  initDone(): void;
  /** A new memory limit for the whole environment (a spare given its function); absent without cgroups. */
  resizeMemory?(memoryMb: number): Promise<void>;
  /**
   * For a runtime started as a spare (spare-environments.ts): its function's variables, handed out
   * once through the Runtime API; undefined for every other runtime.
   */
  takeAssignment?(): Record<string, string> | undefined;
  /** Kernel peak memory of the whole environment, when cgroups measure it. */
  peakMemoryMb(): Promise<number | undefined>;
  /** Kills what is left and releases the cgroup and private /tmp. Idempotent. */
  dispose(): void;
}

/** Starts runtime processes: inside namespaces (bubblewrap) or as plain processes. */
export interface Sandbox {
  readonly isolationLevel: IsolationLevel;
  readonly cgroupKind: CgroupKind;
  readonly networkIsolation: NetworkIsolation;
  launch(spec: SandboxSpec): Promise<SandboxedProcess>;
  /**
   * The unpacked root of a container image (bubblewrap only: plain processes cannot be given
   * another root); absent where images cannot run.
   */
  imageRoot?(image: ImageRun): Promise<string>;
  /** Spare environments (spare-environments.ts): how many wait now, start now, and how many cold starts took one. */
  spares?(): { ready: number; starting: number; adopted: number };
  /** After the engine killed its environments: removes what the sandbox made on the host (cgroup folders). */
  close(): Promise<void>;
}
