/** How to start the runtime process for one function. */
export interface RuntimeLaunch {
  family: 'nodejs' | 'python' | 'ruby' | 'java' | 'provided' | 'image';
  command: string;
  args: string[];
  /** `AWS_EXECUTION_ENV`; absent for custom runtimes. */
  executionEnv?: string;
  /** Files the sandbox user must be able to read (interpreter and bootstrap). */
  needs: string[];
  /** The interpreter's version, where the catalog knows it without asking the interpreter. */
  version?: string;
  /** Why this launch is not what the runtime id promises (the host's Node standing in): written to the function's log at each start. */
  warning?: string;
  /** Listings only: the interpreter is installed on first use, and `command` is what runs until then. */
  notInstalled?: boolean;
}

export type RuntimeResolution = { ok: true; launch: RuntimeLaunch } | { ok: false; reason: string };
