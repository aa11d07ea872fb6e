export interface LayerVersionRef {
  region: string;
  accountId: string;
  name: string;
  version: number;
  /** The unversioned layer ARN. */
  layerArn: string;
}

const LAYER_VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/;

export function parseLayerVersionArn(arn: string): LayerVersionRef | null {
  const m = LAYER_VERSION_ARN.exec(arn);
  if (!m) return null;
  const [, region, accountId, name, version] = m as unknown as [string, string, string, string, string];
  return { region, accountId, name, version: Number(version), layerArn: `arn:aws:lambda:${region}:${accountId}:layer:${name}` };
}
