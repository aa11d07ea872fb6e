/** Stream and consumer ARNs: `arn:aws:kinesis:<region>:<account>:stream/<name>[/consumer/<name>:<epoch seconds>]`. */
export interface StreamKey {
  accountId: string;
  region: string;
  name: string;
}

export function streamArn(key: StreamKey): string {
  return `arn:aws:kinesis:${key.region}:${key.accountId}:stream/${key.name}`;
}

export function consumerArn(key: StreamKey, consumerName: string, createdAtMs: number): string {
  return `${streamArn(key)}/consumer/${consumerName}:${Math.floor(createdAtMs / 1000)}`;
}

export function parseStreamArn(arn: string): StreamKey | null {
  const m = /^arn:aws[\w-]*:kinesis:([^:]*):(\d{12}):stream\/([a-zA-Z0-9_.-]+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : null;
}

export function parseConsumerArn(arn: string): (StreamKey & { consumerName: string; createdAtSeconds: number }) | null {
  const m = /^arn:aws[\w-]*:kinesis:([^:]*):(\d{12}):stream\/([a-zA-Z0-9_.-]+)\/consumer\/([a-zA-Z0-9_.-]+):(\d+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]!, consumerName: m[4]!, createdAtSeconds: Number(m[5]) } : null;
}

/** `shardId-000000000007` */
export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/** The index of a shard id; AWS also accepts the bare number or any prefix before the dash. */
export function shardIndexOf(shardId: string): number | null {
  const m = /^(?:[a-zA-Z0-9_.]*-)?(\d{1,12})$/.exec(shardId);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n <= 2_147_483_647 ? n : null;
}
