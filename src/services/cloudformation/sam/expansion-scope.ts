import { InvalidResourceError } from './errors.js';
import type { CfnResource, HttpApiDraft, JsonObject, RestApiDraft, TransformContext } from './template-model.js';

/**
 * What one run of the transform shares between the modules that expand resources: the context,
 * the input template (events look up the buckets and tables they attach to), the resources
 * written so far and the conditions SAM adds.
 */
export class ExpansionScope {
  readonly resources: Record<string, CfnResource> = {};
  readonly conditions: Record<string, unknown> = {};
  /** HTTP APIs (explicit and the implicit one) collecting routes until every function is expanded. */
  readonly httpApis = new Map<string, HttpApiDraft>();
  /** REST APIs (AWS::Serverless::Api and the implicit ServerlessRestApi), likewise. */
  readonly restApis = new Map<string, RestApiDraft>();

  constructor(
    readonly context: TransformContext,
    readonly input: { Resources: Record<string, CfnResource>; Conditions?: JsonObject },
    /** Globals by resource type, for resources SAM creates itself (the implicit HTTP API). */
    readonly globals: Map<string, JsonObject>,
    /** Parameter values known at transform time (see parameter-values.ts). */
    readonly parameters: Record<string, unknown>,
  ) {}

  /** Adds a generated resource; a generated id that collides with another resource is an error. */
  add(ownerId: string, logicalId: string, resource: CfnResource): void {
    if (logicalId in this.resources) {
      throw new InvalidResourceError(ownerId, `Logical id ${logicalId} is generated twice.`);
    }
    this.resources[logicalId] = resource;
  }

  /** Replaces (or sets) a resource: for the template's own resources an event edits (S3 buckets). */
  put(logicalId: string, resource: CfnResource): void {
    this.resources[logicalId] = resource;
  }

  /** Logical ids SAM changed (layer versions gain a content hash), old → new. */
  readonly renamed = new Map<string, string>();

  rename(oldId: string, newId: string): void {
    this.renamed.set(oldId, newId);
  }

  addCondition(name: string, condition: unknown): void {
    this.conditions[name] = condition;
  }
}
