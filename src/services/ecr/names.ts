import { MAX_REPOSITORY_NAME_CHARS, MIN_REPOSITORY_NAME_CHARS } from './limits.js';

/** A repository: its account (the registry id), region and name. */
export interface RepositoryKey {
  accountId: string;
  region: string;
  name: string;
}

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** `<account>.dkr.ecr.<region>.localhost[:port]`: the registry host of one account and region. */
const REGISTRY_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.localhost(?::\d+)?$/i;

export function isRepositoryName(name: string): boolean {
  return name.length >= MIN_REPOSITORY_NAME_CHARS && name.length <= MAX_REPOSITORY_NAME_CHARS && REPOSITORY_NAME.test(name);
}

/** A tag as the registry API accepts it (the distribution spec's grammar). */
export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

export function repositoryArn(key: RepositoryKey): string {
  return `arn:aws:ecr:${key.region}:${key.accountId}:repository/${key.name}`;
}

export function parseRepositoryArn(arn: string): RepositoryKey | null {
  const m = /^arn:aws[\w-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : null;
}

/** The registry host clients push to: AWS's `<account>.dkr.ecr.<region>.amazonaws.com` under `.localhost`. */
export function registryHost(accountId: string, region: string, port: number): string {
  return `${accountId}.dkr.ecr.${region}.localhost:${port}`;
}

export function repositoryUri(key: RepositoryKey, port: number): string {
  return `${registryHost(key.accountId, key.region, port)}/${key.name}`;
}

/** The account and region a registry host names; null for any other host (path-style access). */
export function parseRegistryHost(host: string): { accountId: string; region: string } | null {
  const m = REGISTRY_HOST.exec(host);
  return m ? { accountId: m[1]!, region: m[2]!.toLowerCase() } : null;
}
