import { InvalidResourceError } from './errors.js';
import { ownAttributes } from './resource-attributes.js';
import { tagList } from './tags.js';
import { isObject, type CfnResource, type JsonObject } from './template-model.js';
import type { ExpansionScope } from './expansion-scope.js';

const ATTRIBUTE_TYPES: Readonly<Record<string, string>> = { String: 'S', Number: 'N', Binary: 'B' };

/** AWS::Serverless::SimpleTable → a DynamoDB table keyed on one hash attribute (default `id`, a string), on demand unless provisioned. */
export function expandSimpleTable(scope: ExpansionScope, logicalId: string, resource: CfnResource): void {
  const p = resource.Properties ?? {};
  let key: JsonObject = { AttributeName: 'id', AttributeType: 'S' };
  if (p.PrimaryKey) {
    if (!isObject(p.PrimaryKey)) throw new InvalidResourceError(logicalId, "Property 'PrimaryKey' should be a map.");
    const { Name: name, Type: type } = p.PrimaryKey;
    if (name === undefined || name === null) throw new InvalidResourceError(logicalId, "Property 'PrimaryKey.Name' is required.");
    if (type === undefined || type === null) throw new InvalidResourceError(logicalId, "Property 'PrimaryKey.Type' is required.");
    const converted = typeof type === 'string' ? ATTRIBUTE_TYPES[type] : undefined;
    if (!converted) throw new InvalidResourceError(logicalId, `Invalid 'Type' "${String(type)}".`);
    key = { AttributeName: name, AttributeType: converted };
  }
  const table: JsonObject = {
    AttributeDefinitions: [key],
    KeySchema: [{ AttributeName: key.AttributeName, KeyType: 'HASH' }],
  };
  if (p.PointInTimeRecoverySpecification) table.PointInTimeRecoverySpecification = p.PointInTimeRecoverySpecification;
  if (p.ProvisionedThroughput) table.ProvisionedThroughput = p.ProvisionedThroughput;
  else table.BillingMode = 'PAY_PER_REQUEST';
  if (p.SSESpecification) table.SSESpecification = p.SSESpecification;
  if (p.TableName) table.TableName = p.TableName;
  if (isObject(p.Tags) && Object.keys(p.Tags).length > 0) table.Tags = tagList(p.Tags);
  scope.add(logicalId, logicalId, { Type: 'AWS::DynamoDB::Table', Properties: table, ...ownAttributes(resource) });
}
