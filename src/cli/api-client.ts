import type { LambdaClient } from '@aws-sdk/client-lambda';
import { resolveConfig } from '../config.js';

/** Where the commands that talk to a running Lambkin send their requests, and as whom. */
export interface ApiTarget {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * `--endpoint-url`, else `AWS_ENDPOINT_URL`, else the address `lambkin start` would listen on with
 * the same flags and settings (a wildcard listen address is reached on loopback). The credentials
 * are the usual AWS variables, else the `test` pair Lambkin accepts out of the box.
 */
export function apiTarget(flags: { endpointUrl?: string; region?: string; host?: string; port?: number; dataDir?: string; config?: string }, env: NodeJS.ProcessEnv = process.env): ApiTarget {
  let endpoint = flags.endpointUrl ?? env.AWS_ENDPOINT_URL_LAMBDA ?? env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    const config = resolveConfig(flags, env);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  }
  return {
    endpoint,
    region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}

/** The SDK client, loaded on demand: importing it costs the other commands nothing. */
export async function lambdaClient(target: ApiTarget): Promise<LambdaClient> {
  quietSdkNodeWarning();
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  return new LambdaClient({
    endpoint: target.endpoint,
    region: target.region,
    credentials: credentialsOf(target),
    maxAttempts: 1,
  });
}

/**
 * The SDK warns on every run that its releases from 2027 need Node 22; in a command's output that
 * says nothing about the command, and Lambkin pins its SDK version.
 */
export function quietSdkNodeWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export function credentialsOf(target: ApiTarget): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  return { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey, ...(target.sessionToken ? { sessionToken: target.sessionToken } : {}) };
}

/** An API error as one line (`ResourceNotFoundException: Function not found: …`), or a connection failure with the endpoint named. */
export function describeApiError(err: unknown, target: ApiTarget): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || e.name === 'TimeoutError') {
    return `cannot reach Lambkin at ${target.endpoint} (${code ?? e.name}): is \`lambkin start\` running? (--endpoint-url or AWS_ENDPOINT_URL name another address)`;
  }
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message ?? ''}` : (e.message ?? String(err));
}

/** The caller's account, for the execution role's ARN (Lambkin accepts a role its IAM does not know). */
export async function accountOf(target: ApiTarget): Promise<string> {
  quietSdkNodeWarning();
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({ endpoint: target.endpoint, region: target.region, credentials: credentialsOf(target), maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '000000000000';
  } finally {
    sts.destroy();
  }
}
