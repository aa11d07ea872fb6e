import { treeList, treeMap, type QueryTree } from '../../protocols/query.js';
import type { XmlObject, XmlValue } from '../../protocols/xml-writer.js';

/**
 * SQS members as the query protocol flattens them, mapped to and from the JSON protocol's shape
 * so one set of operation handlers serves both. Requests: `Attribute.N.Name/Value` → `Attributes`,
 * `MessageAttribute.N.Name/Value.*` → `MessageAttributes`, `<X>RequestEntry.N.*` → `Entries`, ….
 */
const LISTS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
};
const ENTRY_LISTS = ['SendMessageBatchRequestEntry', 'DeleteMessageBatchRequestEntry', 'ChangeMessageVisibilityBatchRequestEntry'];

export function queryInputToJson(action: string, tree: QueryTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(tree)) {
    if (key === 'Action' || key === 'Version') continue;
    if (key === 'Attribute') out.Attributes = treeMap(node, 'Name', 'Value');
    else if (key === 'Tag') out[action === 'CreateQueue' ? 'tags' : 'Tags'] = treeMap(node, 'Key', 'Value');
    else if (key === 'MessageAttribute' || key === 'MessageSystemAttribute') out[`${key}s`] = messageAttributes(node);
    else if (LISTS[key]) out[LISTS[key]] = treeList(node);
    else if (ENTRY_LISTS.includes(key)) out.Entries = treeList<QueryTree>(node).map((entry) => (typeof entry === 'object' ? queryInputToJson(action, entry) : {}));
    else out[key] = node;
  }
  return out;
}

function messageAttributes(node: string | QueryTree | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(treeMap(node, 'Name', 'Value'))) {
    if (typeof value === 'object') out[name] = { ...value };
  }
  return out;
}

/** A JSON-protocol result as the query protocol's `<XResult>` children. */
export function jsonOutputToQuery(action: string, output: Record<string, unknown>): XmlObject {
  const out: XmlObject = {};
  for (const [key, value] of Object.entries(output)) {
    if (value === undefined) continue;
    if (key === 'Attributes') out.Attribute = mapEntries(value, 'Name', 'Value');
    else if (key === 'Tags') out.Tag = mapEntries(value, 'Key', 'Value');
    else if (key === 'QueueUrls' || key === 'queueUrls') out.QueueUrl = value as string[];
    else if (key === 'Messages') out.Message = (value as Array<Record<string, unknown>>).map(messageToQuery);
    else if (key === 'Successful') out[`${action}ResultEntry`] = value as XmlValue[];
    else if (key === 'Failed') out.BatchResultErrorEntry = value as XmlValue[];
    else if (key === 'Results') out[`${action}ResultEntry`] = value as XmlValue[];
    else out[key] = value as XmlValue;
  }
  return out;
}

function messageToQuery(message: Record<string, unknown>): XmlObject {
  const out: XmlObject = {};
  for (const [key, value] of Object.entries(message)) {
    if (key === 'Attributes') out.Attribute = mapEntries(value, 'Name', 'Value');
    else if (key === 'MessageAttributes') {
      out.MessageAttribute = Object.entries(value as Record<string, Record<string, string>>).map(([name, v]) => ({
        Name: name,
        Value: { StringValue: v.StringValue, BinaryValue: v.BinaryValue, DataType: v.DataType },
      }));
    } else out[key] = value as XmlValue;
  }
  return out;
}

function mapEntries(value: unknown, keyName: string, valueName: string): XmlObject[] {
  return Object.entries(value as Record<string, string>).map(([k, v]) => ({ [keyName]: k, [valueName]: v }));
}
