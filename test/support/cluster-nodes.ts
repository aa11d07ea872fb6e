import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { freePort, startChild } from './child-server.js';
import type { TestDatabase } from './postgres.js';

/** One `lambkin start` child on a shared PostgreSQL database. */
export interface ClusterNode {
  url: string;
  child: ChildProcess;
  dataDir: string;
  lambda: LambdaClient;
}

/** Starts a node on `database` (fast heartbeats: a killed node is taken for dead in 5 of them). */
export async function startClusterNode(database: TestDatabase, env: Record<string, string> = {}): Promise<ClusterNode> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-cluster-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // A free port can be taken by another process before the node binds it (a busy machine): try another.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await startChild(dataDir, port, { LAMBKIN_STORE: database.url, LAMBKIN_CLUSTER_HEARTBEAT_MS: '300', LAMBKIN_SPARE_ENVIRONMENTS: '0', ...env });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  const url = `http://127.0.0.1:${port}`;
  const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  return { url, child, dataDir, lambda };
}

export async function killClusterNode(node: ClusterNode): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGKILL');
  await exited;
}

export async function removeClusterNode(node: ClusterNode): Promise<void> {
  await killClusterNode(node);
  node.lambda.destroy();
  rmSync(node.dataDir, { recursive: true, force: true });
}

export interface ClusterListing {
  node: string;
  members: Array<{ nodeId: string; url: string; self: boolean; inFlight: number; environments: Record<string, number>; provisioned?: Record<string, number> }>;
}

export async function clusterListing(node: ClusterNode): Promise<ClusterListing> {
  const res = await fetch(`${node.url}/_lambkin/cluster`);
  assert.equal(res.status, 200);
  return (await res.json()) as ClusterListing;
}

export async function until(predicate: () => Promise<boolean> | boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    // A description that counts what is missing is built at the timeout, not when the wait began.
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
