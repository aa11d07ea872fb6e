// The AWS CLI and boto3 as test clients: whether this machine has them, the skip reason a test gives
// without them (naming the Debian package `.ci/run` installs, so a skip says how to run it), and
// one way to run a command and keep its exit code and output.
import { execFile, spawnSync } from 'node:child_process';

const awsCliMissing = spawnSync('aws', ['--version'], { stdio: 'ignore' }).error !== undefined;
const boto3Missing = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status !== 0;

/** `false` when `aws` is on PATH, else why a test that drives it is skipped. */
export const awsCliSkip: string | false = awsCliMissing ? 'the AWS CLI (`aws`) is not on PATH: install the Debian package awscli' : false;
/** `false` when python3 imports boto3, else why a test that drives it is skipped. */
export const boto3Skip: string | false = boto3Missing ? 'python3 cannot import boto3: install the Debian package python3-boto3' : false;
/** For a test that drives both. */
export const awsCliOrBoto3Skip: string | false = awsCliSkip || boto3Skip;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  maxBuffer?: number;
  timeout?: number;
}

/**
 * Runs `command` with `env` laid over this process's environment and resolves with its exit code
 * and output (never rejects: a test asserts on the code, and a failure's stderr is in hand).
 */
export function runCommand(command: string, args: string[], env: Record<string, string | undefined> = {}, options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024, cwd: options.cwd, timeout: options.timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
