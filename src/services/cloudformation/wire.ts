import type { XmlObject, XmlValue } from '../../protocols/xml-writer.js';
import type { ChangeSet, ResourceChange } from './tables/change-sets.js';
import type { StackEvent } from './tables/stack-events.js';
import type { StackResource } from './tables/stack-resources.js';
import type { Stack } from './tables/stacks.js';
import { shownParameters } from './template/parameters.js';
import type { TemplateObject } from './template/parse.js';

/** Timestamps as CloudFormation writes them (ISO 8601, UTC, milliseconds). */
export const iso = (ms: number | null | undefined): string | undefined => (ms === null || ms === undefined ? undefined : new Date(ms).toISOString());

const parametersXml = (template: TemplateObject, raw: Record<string, string>): XmlValue[] =>
  shownParameters(template.Parameters as TemplateObject | undefined, raw).map((p) => ({ ParameterKey: p.key, ParameterValue: p.value }));

export function stackXml(s: Stack): XmlObject {
  const d = s.doc;
  return {
    StackId: s.stack_id,
    StackName: s.stack_name,
    ChangeSetId: d.changeSetId,
    Description: d.description,
    Parameters: parametersXml(d.template, d.parameters),
    CreationTime: iso(s.created_at),
    DeletionTime: iso(s.deleted_at),
    LastUpdatedTime: iso(s.updated_at),
    RollbackConfiguration: { RollbackTriggers: [] },
    StackStatus: s.status,
    StackStatusReason: s.status_reason ?? undefined,
    DisableRollback: d.disableRollback,
    NotificationARNs: d.notificationArns,
    TimeoutInMinutes: d.timeoutInMinutes,
    Capabilities: d.capabilities,
    Outputs: d.outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName })),
    RoleARN: d.roleArn,
    Tags: d.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    EnableTerminationProtection: d.terminationProtection,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

export function stackSummaryXml(s: Stack): XmlObject {
  return {
    StackId: s.stack_id,
    StackName: s.stack_name,
    TemplateDescription: s.doc.description,
    CreationTime: iso(s.created_at),
    LastUpdatedTime: iso(s.updated_at),
    DeletionTime: iso(s.deleted_at),
    StackStatus: s.status,
    StackStatusReason: s.status_reason ?? undefined,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

export function eventXml(s: Stack, e: StackEvent): XmlObject {
  return {
    StackId: s.stack_id,
    EventId: e.event_id,
    StackName: s.stack_name,
    LogicalResourceId: e.logical_id,
    PhysicalResourceId: e.physical_id ?? '',
    ResourceType: e.type,
    Timestamp: iso(e.at),
    ResourceStatus: e.status,
    ResourceStatusReason: e.status_reason ?? undefined,
    ResourceProperties: e.properties ?? undefined,
    ClientRequestToken: undefined,
  };
}

const drift = { StackResourceDriftStatus: 'NOT_CHECKED' };

export function resourceXml(s: Stack, r: StackResource): XmlObject {
  return {
    StackName: s.stack_name,
    StackId: s.stack_id,
    LogicalResourceId: r.logical_id,
    PhysicalResourceId: r.physical_id ?? undefined,
    ResourceType: r.type,
    Timestamp: iso(r.updated_at),
    ResourceStatus: r.status,
    ResourceStatusReason: r.status_reason ?? undefined,
    DriftInformation: drift,
  };
}

export function resourceDetailXml(s: Stack, r: StackResource): XmlObject {
  return {
    StackName: s.stack_name,
    StackId: s.stack_id,
    LogicalResourceId: r.logical_id,
    PhysicalResourceId: r.physical_id ?? undefined,
    ResourceType: r.type,
    LastUpdatedTimestamp: iso(r.updated_at),
    ResourceStatus: r.status,
    ResourceStatusReason: r.status_reason ?? undefined,
    Metadata: r.doc.metadata === undefined ? undefined : JSON.stringify(r.doc.metadata),
    DriftInformation: drift,
  };
}

export function resourceSummaryXml(r: StackResource): XmlObject {
  return {
    LogicalResourceId: r.logical_id,
    PhysicalResourceId: r.physical_id ?? undefined,
    ResourceType: r.type,
    LastUpdatedTimestamp: iso(r.updated_at),
    ResourceStatus: r.status,
    ResourceStatusReason: r.status_reason ?? undefined,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

function changeXml(c: ResourceChange): XmlObject {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: c.action,
      LogicalResourceId: c.logicalId,
      PhysicalResourceId: c.physicalId,
      ResourceType: c.type,
      Replacement: c.replacement,
      Scope: c.scope,
      Details: c.details.map((d) => ({
        Target: { Attribute: 'Properties', Name: d.name, RequiresRecreation: d.requiresRecreation },
        Evaluation: 'Static',
        ChangeSource: 'DirectModification',
      })),
    },
  };
}

export function changeSetXml(s: Stack, cs: ChangeSet): XmlObject {
  const d = cs.doc;
  return {
    ChangeSetName: cs.name,
    ChangeSetId: cs.change_set_id,
    StackId: s.stack_id,
    StackName: s.stack_name,
    Description: d.description,
    Parameters: parametersXml(d.template, d.parameters),
    CreationTime: iso(cs.created_at),
    ExecutionStatus: cs.execution_status,
    Status: cs.status,
    StatusReason: d.statusReason,
    NotificationARNs: d.notificationArns,
    RollbackConfiguration: { RollbackTriggers: [] },
    Capabilities: d.capabilities,
    Tags: d.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    Changes: d.changes.map(changeXml),
    IncludeNestedStacks: false,
  };
}

export function changeSetSummaryXml(s: Stack, cs: ChangeSet): XmlObject {
  return {
    StackId: s.stack_id,
    StackName: s.stack_name,
    ChangeSetId: cs.change_set_id,
    ChangeSetName: cs.name,
    ExecutionStatus: cs.execution_status,
    Status: cs.status,
    StatusReason: cs.doc.statusReason,
    CreationTime: iso(cs.created_at),
    Description: cs.doc.description,
    IncludeNestedStacks: false,
  };
}
