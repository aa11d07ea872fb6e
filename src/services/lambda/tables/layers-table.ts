import type { Store } from '../../../store/database.js';
import type { Scope } from '../model.js';

/**
 * The GetLayerVersion document without `Content.Location` (a fresh URL is minted per request).
 * `Content.CodeSize` is also read by function-config-input.ts when functions reference the layer.
 */
export interface LayerVersionDoc {
  Content: { CodeSha256: string; CodeSize: number };
  LayerArn: string;
  LayerVersionArn: string;
  Description: string;
  CreatedDate: string;
  Version: number;
  CompatibleRuntimes?: string[];
  LicenseInfo?: string;
  CompatibleArchitectures?: string[];
}

export interface LayerPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface LayerVersionRow {
  layerName: string;
  version: number;
  doc: LayerVersionDoc;
  codeHex: string;
  statements: LayerPolicyStatement[];
  policyRevisionId: string;
}

/** Layers (`lambda_layers` keeps the highest number ever issued) and their versions. */
export class LayersTable {
  constructor(private readonly db: Store) {}

  /** Issues the next version number; numbers of deleted versions are never handed out again. */
  async nextVersion(scope: Scope, name: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('lambda_layers')
        .select('last_version')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .executeTakeFirst();
      const next = Number(row?.last_version ?? 0) + 1;
      if (row) {
        await trx
          .updateTable('lambda_layers')
          .set({ last_version: next })
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('name', '=', name)
          .execute();
      } else {
        await trx.insertInto('lambda_layers').values({ account_id: scope.accountId, region: scope.region, name, last_version: next }).execute();
      }
      return next;
    });
  }

  async putVersion(scope: Scope, name: string, doc: LayerVersionDoc, codeHex: string): Promise<void> {
    await this.db
      .insertInto('lambda_layer_versions')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        layer_name: name,
        version: doc.Version,
        data: JSON.stringify(doc),
        code_sha256_hex: codeHex,
        statements: '[]',
        policy_revision_id: '',
      })
      .execute();
  }

  async getVersion(scope: Scope, name: string, version: number): Promise<LayerVersionRow | undefined> {
    const row = await this.selectVersions(scope).where('layer_name', '=', name).where('version', '=', version).executeTakeFirst();
    return row && toRow(row);
  }

  /** Newest first, as ListLayerVersions orders them. */
  async listVersions(scope: Scope, name: string): Promise<LayerVersionRow[]> {
    const rows = await this.selectVersions(scope).where('layer_name', '=', name).orderBy('version', 'desc').execute();
    return rows.map(toRow);
  }

  /** Every version of every layer, grouped by layer name (names ascending, versions newest first). */
  async listAll(scope: Scope): Promise<LayerVersionRow[]> {
    const rows = await this.selectVersions(scope).orderBy('layer_name').orderBy('version', 'desc').execute();
    return rows.map(toRow);
  }

  /** New `Content` figures of a version whose stored content changed in place (a host folder). */
  async putContent(scope: Scope, name: string, version: number, content: LayerVersionDoc['Content']): Promise<void> {
    const row = await this.getVersion(scope, name, version);
    if (!row) return;
    await this.db
      .updateTable('lambda_layer_versions')
      .set({ data: JSON.stringify({ ...row.doc, Content: content }) })
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('layer_name', '=', name)
      .where('version', '=', version)
      .execute();
  }

  /** Every version, of every account and region, whose stored code reference starts with `prefix`. */
  async listByCodePrefix(prefix: string): Promise<Array<{ scope: Scope; name: string; version: number; codeHex: string }>> {
    const rows = await this.db
      .selectFrom('lambda_layer_versions')
      .select(['account_id', 'region', 'layer_name', 'version', 'code_sha256_hex'])
      .where('code_sha256_hex', 'like', `${prefix}%`)
      .execute();
    return rows.map((r) => ({ scope: { accountId: r.account_id, region: r.region }, name: r.layer_name, version: Number(r.version), codeHex: r.code_sha256_hex }));
  }

  async deleteVersion(scope: Scope, name: string, version: number): Promise<void> {
    await this.db
      .deleteFrom('lambda_layer_versions')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('layer_name', '=', name)
      .where('version', '=', version)
      .execute();
  }

  async putPolicy(scope: Scope, name: string, version: number, statements: LayerPolicyStatement[], revisionId: string): Promise<void> {
    await this.db
      .updateTable('lambda_layer_versions')
      .set({ statements: JSON.stringify(statements), policy_revision_id: revisionId })
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('layer_name', '=', name)
      .where('version', '=', version)
      .execute();
  }

  private selectVersions(scope: Scope) {
    return this.db
      .selectFrom('lambda_layer_versions')
      .select(['layer_name', 'version', 'data', 'code_sha256_hex', 'statements', 'policy_revision_id'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region);
  }
}

function toRow(row: { layer_name: string; version: number; data: string; code_sha256_hex: string; statements: string; policy_revision_id: string }): LayerVersionRow {
  return {
    layerName: row.layer_name,
    version: Number(row.version),
    doc: JSON.parse(row.data) as LayerVersionDoc,
    codeHex: row.code_sha256_hex,
    statements: JSON.parse(row.statements) as LayerPolicyStatement[],
    policyRevisionId: row.policy_revision_id,
  };
}
