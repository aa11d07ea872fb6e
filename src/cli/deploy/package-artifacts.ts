import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileArtifact, zipFolder, type ZippedArtifact } from './folder-zip.js';

export type Upload = (key: string, bytes: Buffer) => Promise<{ bucket: string; key: string }>;

interface ArtifactProperty {
  /** Resource type, or `Globals.Function` for the Globals section. */
  type: string;
  property: string;
  /** How the uploaded location is written back. */
  form: 's3-uri' | 'code' | 'content';
  /** Folders are zipped; a property that must stay one file (an OpenAPI document) is uploaded as is. */
  zipFolders: boolean;
}

/** The properties `aws cloudformation package` and `sam deploy` turn from local paths into S3 locations. */
const ARTIFACT_PROPERTIES: readonly ArtifactProperty[] = [
  { type: 'AWS::Serverless::Function', property: 'CodeUri', form: 's3-uri', zipFolders: true },
  { type: 'AWS::Serverless::LayerVersion', property: 'ContentUri', form: 's3-uri', zipFolders: true },
  { type: 'AWS::Serverless::HttpApi', property: 'DefinitionUri', form: 's3-uri', zipFolders: false },
  { type: 'AWS::Lambda::Function', property: 'Code', form: 'code', zipFolders: true },
  { type: 'AWS::Lambda::LayerVersion', property: 'Content', form: 'content', zipFolders: true },
];

const isLocalPath = (value: unknown): value is string => typeof value === 'string' && value !== '' && !/^s3:\/\//.test(value) && !/^https?:\/\//.test(value);

export interface PackagedArtifact {
  resource: string;
  property: string;
  localPath: string;
  bucket: string;
  key: string;
}

/**
 * Uploads every local artifact a template names (folders zipped) and returns the template with
 * S3 locations in their place. A function with neither CodeUri nor InlineCode (nor Globals
 * CodeUri) packages the template's folder, as `aws cloudformation package` does.
 */
export async function packageArtifacts(template: Record<string, unknown>, templateDir: string, upload: Upload): Promise<{ template: Record<string, unknown>; artifacts: PackagedArtifact[] }> {
  const out = structuredClone(template);
  const artifacts: PackagedArtifact[] = [];
  const uploaded = new Map<string, { bucket: string; key: string }>();

  const place = async (resource: string, spec: ArtifactProperty, value: string): Promise<unknown> => {
    const localPath = path.resolve(templateDir, value);
    let info;
    try {
      info = await stat(localPath);
    } catch {
      throw new Error(`${resource}: ${spec.property} ${JSON.stringify(value)} is neither an S3 location nor a file or folder here (${localPath})`);
    }
    if (info.isDirectory() && !spec.zipFolders) throw new Error(`${resource}: ${spec.property} must name a file, not a folder`);
    const artifact: ZippedArtifact = info.isDirectory() ? await zipFolder(localPath) : await fileArtifact(localPath);
    const extension = info.isDirectory() ? '.zip' : path.extname(localPath);
    const key = `${artifact.contentHash}${extension}`;
    let location = uploaded.get(key);
    if (!location) {
      location = await upload(key, artifact.bytes);
      uploaded.set(key, location);
    }
    artifacts.push({ resource, property: spec.property, localPath, ...location });
    if (spec.form === 's3-uri') return `s3://${location.bucket}/${location.key}`;
    return { S3Bucket: location.bucket, S3Key: location.key };
  };

  const globals = (out.Globals ?? {}) as Record<string, Record<string, unknown>>;
  const globalCodeUri = globals.Function?.CodeUri;
  if (isLocalPath(globalCodeUri)) {
    globals.Function!.CodeUri = await place('Globals.Function', ARTIFACT_PROPERTIES[0]!, globalCodeUri);
  }

  const resources = (out.Resources ?? {}) as Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
  for (const [logicalId, resource] of Object.entries(resources)) {
    for (const spec of ARTIFACT_PROPERTIES) {
      if (resource?.Type !== spec.type) continue;
      const properties = (resource.Properties ??= {});
      let value = properties[spec.property];
      if (value === undefined && spec.type === 'AWS::Serverless::Function') {
        const needsCode = properties.InlineCode === undefined && properties.ImageUri === undefined && properties.PackageType !== 'Image' && globals.Function?.CodeUri === undefined;
        if (needsCode) value = '.';
      }
      if (isLocalPath(value)) properties[spec.property] = await place(logicalId, spec, value);
    }
  }
  return { template: out, artifacts };
}
