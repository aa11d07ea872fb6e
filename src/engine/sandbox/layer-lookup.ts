import type { Store } from '../../store/database.js';

/** Layer version ARN → hex SHA-256 of its zip in the blob store, or undefined when it is gone. */
export type LayerCodeLookup = (layerVersionArn: string) => Promise<string | undefined>;

const LAYER_VERSION_ARN = /^arn:[^:]+:lambda:([^:]+):(\d{12}):layer:([^:]+):(\d+)$/;

export function layerCodeLookup(db: Store): LayerCodeLookup {
  return async (arn) => {
    const m = LAYER_VERSION_ARN.exec(arn);
    if (!m) return undefined;
    const row = await db
      .selectFrom('lambda_layer_versions')
      .select('code_sha256_hex')
      .where('region', '=', m[1]!)
      .where('account_id', '=', m[2]!)
      .where('layer_name', '=', m[3]!)
      .where('version', '=', Number(m[4]))
      .executeTakeFirst();
    return row?.code_sha256_hex;
  };
}
