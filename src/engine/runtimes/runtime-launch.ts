/** How to start the runtime process for one function. */
export interface RuntimeLaunch {
  family: 'nodejs' | 'python' | 'ruby' | 'java' | 'provided' | 'image';
  command: string;
  args: string[];
  /** `AWS_EXECUTION_ENV`; absent for custom runtimes. */
  executionEnv?: string;
  /** Files the sandbox user must be able to read (interpreter and bootstrap). */
  needs: string[];
}

export type RuntimeResolution = { ok: true; launch: RuntimeLaunch } | { ok: false; reason: string };
