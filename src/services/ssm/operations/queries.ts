import type { RequestContext } from '../../../contracts/request-context.js';
import type { SsmDeps, SsmOperation } from '../deps.js';
import { errors } from '../errors.js';
import { maxResults, optionalBoolean, page, readNextToken, requiredString } from '../input.js';
import { MAX_RESULTS_BY_PATH, MAX_RESULTS_DESCRIBE, MAX_RESULTS_HISTORY } from '../limits.js';
import { checkPath, nameFromIdentifier } from '../names.js';
import type { VersionRow } from '../tables/parameters.js';
import { historyView, metadataView, parameterView } from '../views.js';

const scopeOf = (ctx: RequestContext) => ({ accountId: ctx.accountId, region: ctx.region });

interface Filter {
  Key: string;
  Option?: string;
  Values: string[];
}

function readFilters(value: unknown, legacy = false): Filter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.serialization('Unexpected value for ParameterFilters');
  return value.map((raw) => {
    const filter = (raw ?? {}) as Record<string, unknown>;
    if (typeof filter.Key !== 'string') throw errors.validation(`1 validation error detected: Value null at '${legacy ? 'filters' : 'parameterFilters'}.1.member.key' failed to satisfy constraint: Member must not be null`);
    const values = Array.isArray(filter.Values) ? filter.Values.filter((v): v is string => typeof v === 'string') : [];
    return { Key: filter.Key, Option: typeof filter.Option === 'string' ? filter.Option : undefined, Values: values };
  });
}

function inPath(name: string, path: string, recursive: boolean): boolean {
  if (path === '/') return recursive ? name.startsWith('/') : name.startsWith('/') && !name.slice(1).includes('/');
  if (!name.startsWith(path)) return false;
  return recursive || !name.slice(path.length).includes('/');
}

/** Whether a parameter passes one filter (Name, Type, KeyId, Path, Tier, DataType, Label, tag:<key>). */
function passes(row: VersionRow, filter: Filter, tags: Record<string, string>, forPath: boolean): boolean {
  const option = filter.Option ?? (filter.Key === 'Path' ? 'OneLevel' : 'Equals');
  const values = filter.Values;
  const compare = (actual: string | null | undefined): boolean => {
    if (actual === null || actual === undefined) return false;
    if (option === 'Equals') return values.includes(actual);
    if (option === 'BeginsWith') return values.some((v) => actual.startsWith(v));
    if (option === 'Contains') return values.some((v) => actual.includes(v));
    return false;
  };
  const key = filter.Key;
  if (key.startsWith('tag:')) {
    const tag = key.slice(4);
    return tag in tags && (values.length === 0 || compare(tags[tag]));
  }
  switch (key) {
    case 'Name': {
      const bare = (name: string) => (name.startsWith('/') ? name : `/${name}`);
      if (option === 'Equals') return values.some((v) => bare(v) === bare(row.name));
      if (option === 'BeginsWith') return values.some((v) => bare(row.name).startsWith(bare(v)));
      return compare(row.name);
    }
    case 'Type':
      return compare(row.type);
    case 'KeyId':
      return compare(row.key_id);
    case 'Tier':
      return compare(row.tier);
    case 'DataType':
      return compare(row.data_type);
    case 'Label':
      return (JSON.parse(row.labels) as string[]).some((label) => values.includes(label));
    case 'Path': {
      if (forPath) throw errors.invalidFilterKey(key);
      if (option !== 'OneLevel' && option !== 'Recursive') throw errors.invalidFilterOption(option, key);
      return values.some((v) => inPath(row.name, checkPath(v), option === 'Recursive'));
    }
    default:
      throw errors.invalidFilterKey(key);
  }
}

function checkFilter(filter: Filter, forPath: boolean): void {
  const key = filter.Key;
  const allowed = forPath ? ['Type', 'KeyId', 'Label'] : ['Name', 'Type', 'KeyId', 'Path', 'Tier', 'DataType'];
  if (!key.startsWith('tag:') && !allowed.includes(key)) throw errors.invalidFilterKey(key);
  if (forPath && key.startsWith('tag:')) throw errors.invalidFilterKey(key);
  const option = filter.Option;
  if (option === undefined) return;
  const options = key === 'Path' ? ['OneLevel', 'Recursive'] : key === 'Name' && !forPath ? ['Equals', 'BeginsWith', 'Contains'] : key === 'Label' ? ['Equals'] : ['Equals', 'BeginsWith'];
  if (!options.includes(option)) throw errors.invalidFilterOption(option, key);
}

/** GetParametersByPath, DescribeParameters, GetParameterHistory. */
export function queryOperations({ parameters }: SsmDeps): Record<string, SsmOperation> {
  return {
    async GetParametersByPath(input, ctx) {
      const path = checkPath(requiredString(input, 'Path'));
      const recursive = optionalBoolean(input, 'Recursive') ?? false;
      const filters = readFilters(input.ParameterFilters);
      for (const filter of filters) checkFilter(filter, true);
      const size = maxResults(input, MAX_RESULTS_BY_PATH);
      const after = readNextToken(input);
      const scope = scopeOf(ctx);
      const all = (await parameters.all(scope)).filter((row) => inPath(row.name, path, recursive));
      const matching: VersionRow[] = [];
      for (const row of all) {
        if (filters.length === 0 || filters.every((filter) => passes(row, filter, {}, true))) matching.push(row);
      }
      const { items, next } = page(matching, after, size);
      return { Parameters: items.map((row) => parameterView(scope, row)), ...(next ? { NextToken: next } : {}) };
    },

    async DescribeParameters(input, ctx) {
      const filters = readFilters(input.ParameterFilters);
      const legacy = readFilters(input.Filters, true);
      if (filters.length > 0 && legacy.length > 0) {
        throw errors.validation('You can use either Filters or ParameterFilters in a single request.');
      }
      for (const filter of legacy) {
        if (!['Name', 'Type', 'KeyId'].includes(filter.Key)) throw errors.validation(`1 validation error detected: Value '${filter.Key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [Name, Type, KeyId]`);
      }
      for (const filter of filters) checkFilter(filter, false);
      const size = maxResults(input, MAX_RESULTS_DESCRIBE);
      const after = readNextToken(input);
      const scope = scopeOf(ctx);
      const all = await parameters.all(scope);
      const wantsTags = filters.some((filter) => filter.Key.startsWith('tag:'));
      const matching: VersionRow[] = [];
      for (const row of all) {
        const tags = wantsTags ? ((await parameters.tags(scope, row.name)) ?? {}) : {};
        const legacyPass = legacy.every((filter) => passes(row, { ...filter, Option: filter.Key === 'Name' ? 'Contains' : 'Equals' }, tags, false));
        if (legacyPass && filters.every((filter) => passes(row, filter, tags, false))) matching.push(row);
      }
      const { items, next } = page(matching, after, size);
      return { Parameters: items.map((row) => metadataView(scope, row)), ...(next ? { NextToken: next } : {}) };
    },

    async GetParameterHistory(input, ctx) {
      const name = nameFromIdentifier(requiredString(input, 'Name'));
      const size = maxResults(input, MAX_RESULTS_HISTORY);
      const token = input.NextToken;
      let fromVersion = 0;
      if (typeof token === 'string' && token !== '') {
        const decoded = Buffer.from(token, 'base64url').toString('utf8');
        if (!/^v:\d+$/.test(decoded)) throw errors.invalidNextToken();
        fromVersion = Number(decoded.slice(2));
      }
      const versions = await parameters.history(scopeOf(ctx), name);
      if (versions.length === 0) throw errors.parameterNotFound(`Parameter ${name} not found.`);
      const rest = versions.filter((row) => Number(row.version) > fromVersion);
      const slice = rest.slice(0, size);
      const next = rest.length > size ? Buffer.from(`v:${slice[slice.length - 1]!.version}`, 'utf8').toString('base64url') : undefined;
      return { Parameters: slice.map(historyView), ...(next ? { NextToken: next } : {}) };
    },
  };
}

