import { errors } from './errors.js';
import { MAX_GSIS_PER_TABLE, MAX_LSIS_PER_TABLE, MAX_PROVISIONED_UNITS } from './api-limits.js';
import type { AttributeDefinition, KeySchemaElement, Projection, StoredIndex, Throughput } from './table-model.js';
import { ConstraintCheck, int, list, record, str } from './validation.js';

/**
 * CreateTable's definition members checked in AWS's order (model constraints first, then the
 * service's own checks, each with its text) and turned into what the table row stores.
 */
export interface TableDefinition {
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  throughput: Throughput;
  globalIndexes: StoredIndex[];
  localIndexes: StoredIndex[];
}

const KEY_TYPES = ['HASH', 'RANGE'] as const;
const ATTRIBUTE_TYPES = ['B', 'N', 'S'] as const;
const PROJECTION_TYPES = ['ALL', 'INCLUDE', 'KEYS_ONLY'] as const;
export const BILLING_MODES = ['PROVISIONED', 'PAY_PER_REQUEST'] as const;

export function checkCreateTable(input: Record<string, unknown>): TableDefinition {
  const check = new ConstraintCheck()
    .required(input.AttributeDefinitions, 'attributeDefinitions')
    .required(input.TableName, 'tableName')
    .tableName(input.TableName)
    .required(input.KeySchema, 'keySchema')
    .listLength(input.KeySchema, 'keySchema', 1, 2)
    .oneOf(input.BillingMode, 'billingMode', BILLING_MODES);
  checkKeySchemaMembers(check, input.KeySchema, 'keySchema');
  (list(input.AttributeDefinitions) ?? []).forEach((d, i) => {
    const def = record(d) ?? {};
    check.required(def.AttributeName, `attributeDefinitions.${i + 1}.member.attributeName`);
    check.required(def.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`).oneOf(def.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`, ATTRIBUTE_TYPES);
  });
  for (const member of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
    const path = member === 'GlobalSecondaryIndexes' ? 'globalSecondaryIndexes' : 'localSecondaryIndexes';
    (list(input[member]) ?? []).forEach((ix, i) => checkIndexMembers(check, record(ix) ?? {}, `${path}.${i + 1}.member`));
  }
  checkThroughputMembers(check, input.ProvisionedThroughput, 'provisionedThroughput');
  check.throwIfAny();

  const billingMode = (str(input.BillingMode) ?? 'PROVISIONED') as TableDefinition['billingMode'];
  const throughput = tableThroughput(billingMode, input.ProvisionedThroughput);
  const attributeDefinitions = (input.AttributeDefinitions as Record<string, string>[]).map((d) => ({
    AttributeName: d.AttributeName!,
    AttributeType: d.AttributeType as AttributeDefinition['AttributeType'],
  }));
  const definedNames = attributeDefinitions.map((d) => d.AttributeName);
  const seen = new Set<string>();
  for (const name of definedNames) {
    if (seen.has(name)) throw errors.duplicateAttributeDefinition(name);
    seen.add(name);
  }
  const keySchema = normaliseKeySchema(input.KeySchema as Record<string, string>[]);
  const keyNames = keySchema.map((k) => k.AttributeName);
  if (keyNames.length > definedNames.length) throw errors.keyAttributeWithoutDefinition();
  checkKeySchema(keySchema, definedNames);

  const localInput = list(input.LocalSecondaryIndexes);
  const globalInput = list(input.GlobalSecondaryIndexes);
  const indexNames = new Set<string>();
  const localIndexes: StoredIndex[] = [];
  if (localInput) {
    if (localInput.length === 0) throw errors.emptyIndexList('LocalSecondaryIndexes');
    if (keySchema.length !== 2) throw errors.lsiWithoutTableRange();
    for (const raw of localInput) {
      const index = indexOf(record(raw)!, definedNames, indexNames);
      if (index.KeySchema.length !== 2) throw errors.lsiWithoutRange(index.IndexName);
      const indexHash = index.KeySchema[0]!.AttributeName;
      if (indexHash !== keyNames[0]) throw errors.lsiHashDiffers(index.IndexName, indexHash, keyNames[0]!);
      localIndexes.push(index);
    }
    if (localIndexes.length > MAX_LSIS_PER_TABLE) throw errors.tooManyLsis(MAX_LSIS_PER_TABLE);
  }
  const globalIndexes: StoredIndex[] = [];
  if (globalInput) {
    if (globalInput.length === 0) throw errors.emptyIndexList('GlobalSecondaryIndexes');
    for (const raw of globalInput) {
      const ix = record(raw)!;
      const index = indexOf(ix, definedNames, indexNames);
      index.ProvisionedThroughput = indexThroughput(billingMode, index.IndexName, ix.ProvisionedThroughput);
      if (!index.ProvisionedThroughput) delete index.ProvisionedThroughput;
      globalIndexes.push(index);
    }
    if (globalIndexes.length > MAX_GSIS_PER_TABLE) throw errors.tooManyGsis(MAX_GSIS_PER_TABLE);
  }
  const used = new Set([...keyNames, ...[...localIndexes, ...globalIndexes].flatMap((i) => i.KeySchema.map((k) => k.AttributeName))]);
  if (definedNames.some((n) => !used.has(n))) {
    if (!localInput && !globalInput) throw errors.unusedAttributeDefinitions();
    throw errors.attributeDefinitionsNotUsed(definedNames, [...used]);
  }
  return { keySchema, attributeDefinitions, billingMode, throughput, globalIndexes, localIndexes };
}

/** One GlobalSecondaryIndexUpdates `Create` of UpdateTable, against the table's (merged) definitions. */
export function checkNewGlobalIndex(raw: Record<string, unknown>, definedNames: string[], existing: string[], billingMode: TableDefinition['billingMode']): StoredIndex {
  const check = new ConstraintCheck();
  checkIndexMembers(check, raw, 'globalSecondaryIndexUpdates.1.member.create');
  check.throwIfAny();
  if (existing.includes(str(raw.IndexName)!)) throw errors.indexExists(str(raw.IndexName)!);
  const index = indexOf(raw, definedNames, new Set(existing));
  const throughput = indexThroughput(billingMode, index.IndexName, raw.ProvisionedThroughput);
  return throughput ? { ...index, ProvisionedThroughput: throughput, status: 'CREATING' } : { ...index, status: 'CREATING' };
}

export function checkThroughputMembers(check: ConstraintCheck, value: unknown, path: string): void {
  const t = record(value);
  if (!t) return;
  check
    .required(t.ReadCapacityUnits, `${path}.readCapacityUnits`)
    .range(t.ReadCapacityUnits, `${path}.readCapacityUnits`, 1)
    .required(t.WriteCapacityUnits, `${path}.writeCapacityUnits`)
    .range(t.WriteCapacityUnits, `${path}.writeCapacityUnits`, 1);
}

/** The table's throughput for its billing mode; on-demand tables report 0/0. */
export function tableThroughput(billingMode: TableDefinition['billingMode'], value: unknown): Throughput {
  const t = record(value);
  if (billingMode === 'PAY_PER_REQUEST') {
    if (t) throw errors.throughputWithPayPerRequest();
    return { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  }
  const read = int(t?.ReadCapacityUnits);
  const write = int(t?.WriteCapacityUnits);
  if (!read || !write) throw errors.throughputRequired();
  if (read > MAX_PROVISIONED_UNITS) throw errors.throughputOutOfBounds('ReadCapacityUnits', read);
  if (write > MAX_PROVISIONED_UNITS) throw errors.throughputOutOfBounds('WriteCapacityUnits', write);
  return { ReadCapacityUnits: read, WriteCapacityUnits: write };
}

function indexThroughput(billingMode: TableDefinition['billingMode'], name: string, value: unknown): Throughput | undefined {
  const t = record(value);
  if (billingMode === 'PAY_PER_REQUEST') {
    if (t) throw errors.indexThroughputWithPayPerRequest(name);
    return undefined;
  }
  if (!t) throw errors.indexThroughputRequired(name);
  return tableThroughput('PROVISIONED', t);
}

function checkKeySchemaMembers(check: ConstraintCheck, value: unknown, path: string): void {
  (list(value) ?? []).forEach((k, i) => {
    const el = record(k) ?? {};
    check.required(el.AttributeName, `${path}.${i + 1}.member.attributeName`);
    check.required(el.KeyType, `${path}.${i + 1}.member.keyType`).oneOf(el.KeyType, `${path}.${i + 1}.member.keyType`, KEY_TYPES);
  });
}

function checkIndexMembers(check: ConstraintCheck, ix: Record<string, unknown>, path: string): void {
  check.required(ix.IndexName, `${path}.indexName`).tableName(ix.IndexName, `${path}.indexName`);
  check.required(ix.KeySchema, `${path}.keySchema`).listLength(ix.KeySchema, `${path}.keySchema`, 1, 2);
  checkKeySchemaMembers(check, ix.KeySchema, `${path}.keySchema`);
  check.required(ix.Projection, `${path}.projection`);
  const projection = record(ix.Projection);
  if (projection) check.oneOf(projection.ProjectionType, `${path}.projection.projectionType`, PROJECTION_TYPES);
  checkThroughputMembers(check, ix.ProvisionedThroughput, `${path}.provisionedThroughput`);
}

function normaliseKeySchema(elements: Record<string, string>[]): KeySchemaElement[] {
  return elements.map((e) => ({ AttributeName: e.AttributeName!, KeyType: e.KeyType as KeySchemaElement['KeyType'] }));
}

function checkKeySchema(keySchema: KeySchemaElement[], definedNames: string[]): void {
  const keyNames = keySchema.map((k) => k.AttributeName);
  if (keyNames.some((k) => !definedNames.includes(k))) throw errors.keysNotDefined(keyNames, definedNames);
  if (keyNames.length === 2 && keyNames[0] === keyNames[1]) throw errors.sameHashAndRange();
  if (keySchema[0]!.KeyType !== 'HASH') throw errors.firstKeyNotHash();
  if (keySchema[1] && keySchema[1].KeyType !== 'RANGE') throw errors.secondKeyNotRange();
}

function indexOf(ix: Record<string, unknown>, definedNames: string[], names: Set<string>): StoredIndex {
  const name = str(ix.IndexName)!;
  const keySchema = normaliseKeySchema(ix.KeySchema as Record<string, string>[]);
  checkKeySchema(keySchema, definedNames);
  const projectionInput = record(ix.Projection)!;
  const type = str(projectionInput.ProjectionType);
  if (type === undefined) throw errors.unknownProjectionType();
  const nonKey = list(projectionInput.NonKeyAttributes) as string[] | undefined;
  if (nonKey && type !== 'INCLUDE') throw errors.nonKeyAttributesWithoutInclude(type);
  if (names.has(name)) throw errors.duplicateIndexName(name);
  names.add(name);
  const projection: Projection = nonKey ? { ProjectionType: type as Projection['ProjectionType'], NonKeyAttributes: nonKey } : { ProjectionType: type as Projection['ProjectionType'] };
  return { IndexName: name, KeySchema: keySchema, Projection: projection, status: 'ACTIVE' };
}
