import type { TemplateObject } from './template/parse.js';

export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface StackTag {
  Key: string;
  Value: string;
}

/** What a stack's template and settings were before an update: what a rollback returns to. */
export interface StackVersion {
  templateBody: string;
  template: TemplateObject;
  parameters: Record<string, string>;
  /** Parameter Store values SSM-typed parameters resolved to. */
  ssmValues?: Record<string, string>;
  outputs: StackOutput[];
}

/** A stack's JSON state in `cfn_stacks.doc`. */
export interface StackDoc extends StackVersion {
  description?: string;
  capabilities: string[];
  tags: StackTag[];
  notificationArns: string[];
  terminationProtection: boolean;
  disableRollback: boolean;
  roleArn?: string;
  timeoutInMinutes?: number;
  changeSetId?: string;
  /** Exports this stack imports (ListImports). */
  imports?: string[];
  /** The operation under way; a restart resumes or rolls it back. */
  operation?: { kind: 'CREATE' | 'UPDATE' | 'DELETE' | 'ROLLBACK'; previous?: StackVersion; retain?: string[] };
}

/** A resource's state in `cfn_stack_resources.doc`. */
export interface ResourceDoc {
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
  ref?: string;
  metadata?: unknown;
  deletionPolicy: string;
  updateReplacePolicy: string;
  /** The resources it depends on (deleted after it). */
  dependsOn: string[];
  /** Set while an update runs: the resource as it was (rollback restores it, cleanup deletes it if replaced). */
  previous?: { type: string; physicalId: string | null; properties: Record<string, unknown>; attributes: Record<string, unknown>; ref?: string; replaced: boolean };
  /** Created by the operation under way: a rollback deletes it. */
  created?: boolean;
  /** Gone from the new template: deleted when the update completes. */
  removed?: boolean;
}
