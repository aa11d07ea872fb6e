import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialsOf, describeApiError, quietSdkNodeWarning, type ApiTarget } from './api-client.js';
import { artifactUploader } from './deploy/artifact-bucket.js';
import { packageArtifacts } from './deploy/package-artifacts.js';
import { CloudFormationUnavailable, deployStack } from './deploy/stack-deploy.js';
import { readTemplate } from './deploy/template-file.js';

/** CloudFormation takes at most 51,200 bytes of TemplateBody; larger templates go through S3. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;
const DEFAULT_TEMPLATES = ['template.yaml', 'template.yml', 'template.json'];

export interface DeployOptions {
  target: ApiTarget;
  template?: string;
  stackName?: string;
  /** `Key=Value` or `ParameterKey=Key,ParameterValue=Value`, as `sam deploy` accepts them. */
  parameterOverrides: string[];
  out?: (line: string) => void;
}

export function parseOverrides(items: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const item of items) {
    const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(item);
    const short = /^([^=]+)=(.*)$/.exec(item);
    const match = long ?? short;
    if (!match) throw new Error(`--parameter-overrides: ${JSON.stringify(item)} is not Key=Value`);
    parameters[match[1]!] = match[2]!;
  }
  return parameters;
}

/** The stack name when none is given: the template's folder, as a valid stack name. */
function defaultStackName(templatePath: string): string {
  const folder = path.basename(path.dirname(path.resolve(templatePath)));
  const cleaned = folder.replace(/[^A-Za-z0-9-]/g, '-').replace(/^[^A-Za-z]+/, '');
  return cleaned ? cleaned.slice(0, 128) : 'lambkin-app';
}

/**
 * `lambkin deploy`: packages the template's local code folders into Lambkin's S3 (zipped, keyed
 * by content), then creates or updates the stack through the CloudFormation API with a change
 * set, printing the stack's events as they happen.
 */
export async function deployCommand(options: DeployOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const templatePath = options.template ?? DEFAULT_TEMPLATES.find((name) => existsSync(name));
  if (!templatePath) {
    process.stderr.write(`lambkin deploy: no template given and none of ${DEFAULT_TEMPLATES.join(', ')} here\n`);
    return 2;
  }
  const stackName = options.stackName ?? defaultStackName(templatePath);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    process.stderr.write(`lambkin deploy: ${JSON.stringify(stackName)} is not a stack name (a letter, then letters, digits and hyphens, at most 128)\n`);
    return 2;
  }
  const parameters = parseOverrides(options.parameterOverrides);
  const { target } = options;
  quietSdkNodeWarning();
  const [{ S3Client }, { CloudFormationClient }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/client-cloudformation')]);
  const clientConfig = { endpoint: target.endpoint, region: target.region, credentials: credentialsOf(target), maxAttempts: 1 };
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const cfn = new CloudFormationClient(clientConfig);
  try {
    const template = await readTemplate(templatePath);
    const upload = await artifactUploader(s3, target.region);
    const packaged = await packageArtifacts(template, path.dirname(path.resolve(templatePath)), upload);
    for (const artifact of packaged.artifacts) {
      out(`Uploaded ${path.relative(process.cwd(), artifact.localPath) || '.'} (${artifact.resource}.${artifact.property}) to s3://${artifact.bucket}/${artifact.key}`);
    }
    const body = JSON.stringify(packaged.template, null, 2);
    const packagedFile = path.join(tmpdir(), `lambkin-deploy-${stackName}.json`);
    await writeFile(packagedFile, body);
    let templateUrl: string | undefined;
    if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY_BYTES) {
      const location = await upload(`templates/${stackName}-${Date.now()}.json`, Buffer.from(body));
      templateUrl = `${target.endpoint.replace(/\/$/, '')}/${location.bucket}/${location.key}`;
    }
    out(`Deploying stack ${stackName}`);
    let result;
    try {
      result = await deployStack(cfn, { stackName, templateBody: templateUrl ? undefined : body, templateUrl, parameters, progress: out });
    } catch (error) {
      if (error instanceof CloudFormationUnavailable) {
        process.stderr.write(
          `lambkin deploy: ${target.endpoint} has no CloudFormation API (${error.message}); the code is uploaded and the packaged template is ${packagedFile}\n`,
        );
        return 1;
      }
      throw error;
    }
    if (!result.changed) {
      out(`No changes to deploy: stack ${stackName} is up to date`);
      return 0;
    }
    for (const output of result.outputs) out(`Output ${output.key} = ${output.value}`);
    const ok = result.status === 'CREATE_COMPLETE' || result.status === 'UPDATE_COMPLETE';
    out(ok ? `Successfully deployed stack ${stackName} (${result.status})` : `Stack ${stackName} did not deploy: ${result.status}`);
    return ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`lambkin deploy: ${error instanceof Error && !(error as { $metadata?: unknown }).$metadata ? error.message : describeApiError(error, target)}\n`);
    return 1;
  } finally {
    s3.destroy();
    cfn.destroy();
  }
}
