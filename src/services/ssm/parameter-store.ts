import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import { errors } from './errors.js';
import {
  DATA_TYPES, DEFAULT_SECURE_STRING_KEY_ID, MAX_TAGS, MAX_VALUE_LENGTH_ADVANCED, MAX_VALUE_LENGTH_STANDARD, MAX_VERSIONS, PARAMETER_TIERS, PARAMETER_TYPES,
} from './limits.js';
import { checkNewName, parseSelector } from './names.js';
import * as table from './tables/parameters.js';
import type { Scope, VersionRow } from './tables/parameters.js';

export type { Scope, VersionRow } from './tables/parameters.js';

export interface PutParameterInput {
  name: string;
  value: string;
  type?: string;
  description?: string;
  keyId?: string;
  overwrite?: boolean;
  allowedPattern?: string;
  tags?: Array<{ Key: string; Value: string }>;
  tier?: string;
  policies?: string;
  dataType?: string;
  /** The ARN recorded as LastModifiedUser. */
  modifiedBy: string;
}

/** A version selected by `name`, `name:version` or `name:label`, with the selector as AWS echoes it. */
export interface SelectedParameter {
  row: VersionRow;
  selector?: string;
}

/**
 * The Parameter Store of one Lambkin: writes versions, reads them by selector, deletes. The API
 * operations call it, and so can other services in process (CloudFormation resolves
 * `AWS::SSM::Parameter::Value<…>` parameters and creates `AWS::SSM::Parameter` resources with it).
 */
export class ParameterStore {
  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
  ) {}

  async put(scope: Scope, input: PutParameterInput): Promise<{ version: number; tier: string }> {
    checkNewName(input.name);
    if (input.type !== undefined && !(PARAMETER_TYPES as readonly string[]).includes(input.type)) throw errors.unsupportedType(input.type);
    const tierAsked = input.tier ?? 'Standard';
    if (!(PARAMETER_TIERS as readonly string[]).includes(tierAsked)) {
      throw errors.constraint('tier', tierAsked, 'Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]');
    }
    const dataType = input.dataType ?? 'text';
    if (!(DATA_TYPES as readonly string[]).includes(dataType)) {
      throw errors.validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
    }
    if (input.value.length > MAX_VALUE_LENGTH_ADVANCED) throw errors.valueTooLong();
    // Intelligent-Tiering picks Advanced only when the value needs it.
    const tier = tierAsked === 'Intelligent-Tiering' ? (input.value.length > MAX_VALUE_LENGTH_STANDARD ? 'Advanced' : 'Standard') : tierAsked;
    if (tier === 'Standard' && input.value.length > MAX_VALUE_LENGTH_STANDARD) throw errors.standardValueTooLong();
    if (input.allowedPattern !== undefined) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(input.allowedPattern);
      } catch {
        throw errors.invalidPattern();
      }
      if (!pattern.test(input.value)) throw errors.patternMismatch(input.allowedPattern);
    }
    if (input.tags && input.overwrite) throw errors.tagsWithOverwrite();
    if (input.tags && input.tags.length > MAX_TAGS) throw errors.tooManyTags();

    return this.db.transaction().execute(async (trx) => {
      const existing = await table.findParameter(trx, scope, input.name);
      let version = 1;
      let type = input.type;
      let previous: VersionRow | undefined;
      if (existing) {
        if (!input.overwrite) throw errors.alreadyExists();
        previous = await table.findVersion(trx, scope, input.name, existing.version);
        if (type !== undefined && previous && type !== previous.type) throw errors.typeChange();
        type ??= previous?.type;
        version = existing.version + 1;
      } else if (type === undefined) {
        throw errors.typeRequired();
      }
      // An overwrite keeps Advanced: a parameter cannot go back to Standard.
      const storedTier = previous?.tier === 'Advanced' ? 'Advanced' : tier;
      await table.insertVersion(trx, {
        account_id: scope.accountId,
        region: scope.region,
        name: input.name,
        version,
        type: type!,
        value: input.value,
        description: input.description ?? (previous ? previous.description : null),
        key_id: type === 'SecureString' ? (input.keyId ?? previous?.key_id ?? DEFAULT_SECURE_STRING_KEY_ID) : null,
        allowed_pattern: input.allowedPattern ?? (previous ? previous.allowed_pattern : null),
        tier: storedTier,
        data_type: dataType,
        policies: input.policies ?? '[]',
        labels: '[]',
        modified_at: this.clock.now(),
        modified_by: input.modifiedBy,
      });
      if (existing) {
        await table.setLatestVersion(trx, scope, input.name, version);
        if (version > MAX_VERSIONS) await table.pruneVersions(trx, scope, input.name, version - MAX_VERSIONS + 1);
      } else {
        const tags = Object.fromEntries((input.tags ?? []).map((tag) => [tag.Key, tag.Value]));
        await table.insertParameter(trx, scope, input.name, version, JSON.stringify(tags));
      }
      return { version, tier: storedTier };
    });
  }

  /** The version a selector names; undefined when the parameter does not exist. */
  async select(scope: Scope, identifier: string): Promise<SelectedParameter | undefined> {
    const { name, version, label, selector } = parseSelector(identifier);
    const parameter = await table.findParameter(this.db, scope, name);
    if (!parameter) return undefined;
    if (version !== undefined) {
      const row = await table.findVersion(this.db, scope, name, version);
      if (!row) throw errors.versionNotFound(name, String(version));
      return { row, selector };
    }
    if (label !== undefined) {
      const row = (await table.listVersions(this.db, scope, name)).find((candidate) => (JSON.parse(candidate.labels) as string[]).includes(label));
      if (!row) throw errors.versionNotFound(name, label);
      return { row, selector };
    }
    const row = await table.findVersion(this.db, scope, name, parameter.version);
    return row ? { row } : undefined;
  }

  /** Latest versions of the names that exist (GetParameters without selectors). */
  latest(scope: Scope, names: readonly string[]): Promise<VersionRow[]> {
    return table.latestVersions(this.db, scope, names);
  }

  all(scope: Scope): Promise<VersionRow[]> {
    return table.allLatest(this.db, scope);
  }

  history(scope: Scope, name: string): Promise<VersionRow[]> {
    return table.listVersions(this.db, scope, name);
  }

  async delete(scope: Scope, name: string): Promise<boolean> {
    return this.db.transaction().execute((trx) => table.deleteParameter(trx, scope, name));
  }

  async tags(scope: Scope, name: string): Promise<Record<string, string> | undefined> {
    const parameter = await table.findParameter(this.db, scope, name);
    return parameter ? (JSON.parse(parameter.tags) as Record<string, string>) : undefined;
  }

  /** Applies `change` to a parameter's tags; false when the parameter does not exist. */
  async changeTags(scope: Scope, name: string, change: (tags: Record<string, string>) => void): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const parameter = await table.findParameter(trx, scope, name);
      if (!parameter) return false;
      const tags = JSON.parse(parameter.tags) as Record<string, string>;
      change(tags);
      if (Object.keys(tags).length > MAX_TAGS) throw errors.tooManyTags();
      await table.setTags(trx, scope, name, JSON.stringify(tags));
      return true;
    });
  }
}
