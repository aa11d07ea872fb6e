import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { expandServerlessTransform, SamTransformError } from '../src/services/cloudformation/sam/index.js';
import { SAM_TRANSLATOR_MISSING, samTranslatorAvailable, translateWithSamTranslator, type OracleResult } from './support/sam-oracle.js';
import { DEPLOYMENT_HASH_PLACEHOLDER, INTENDED_DIFFERENCES } from './support/sam-intended-differences.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/sam');
const CONTEXT = { region: 'us-east-1', accountId: '123456789012', stackName: 'sam-corpus', partition: 'aws' };

const fixtures = Object.fromEntries(
  readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>]),
);

type Translation = { ok: Record<string, unknown> } | { error: string };

function translateWithLambkin(template: Record<string, unknown>): Translation {
  try {
    return { ok: expandServerlessTransform(template, CONTEXT) };
  } catch (error) {
    if (error instanceof SamTransformError) return { error: error.causes.join(' ') };
    throw error;
  }
}

/** Removes a dotted path from a JSON value and returns what was there. */
function takePath(root: unknown, dotted: string): unknown {
  const keys = dotted.split('.');
  let node = root as Record<string, unknown> | undefined;
  for (const key of keys.slice(0, -1)) node = node?.[key] as Record<string, unknown> | undefined;
  const last = keys[keys.length - 1]!;
  if (!node || !(last in node)) return undefined;
  const value = node[last];
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return value;
}

/**
 * DependsOn lists samtranslator builds through a Python set come out in any order; CloudFormation
 * does not care, so neither does the comparison.
 */
function sortDependsOn(translation: Translation): Translation {
  if ('ok' in translation && translation.ok.Resources && typeof translation.ok.Resources === 'object') {
    for (const resource of Object.values(translation.ok.Resources as Record<string, { DependsOn?: unknown }>)) {
      if (Array.isArray(resource?.DependsOn)) resource.DependsOn = [...(resource.DependsOn as string[])].sort();
    }
  }
  return translation;
}

/** See DEPLOYMENT_HASH_PLACEHOLDER: REST API deployments' hashes are compared as placeholders. */
function placeholdDeploymentHashes(translation: Translation): Translation {
  if (!('ok' in translation) || !translation.ok.Resources) return translation;
  const resources = translation.ok.Resources as Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
  const renamed = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    const match = /^(.+Deployment)[0-9a-f]{10}$/.exec(id);
    if (resource.Type !== 'AWS::ApiGateway::Deployment' || !match) continue;
    renamed.set(id, `${match[1]}${DEPLOYMENT_HASH_PLACEHOLDER}`);
    resource.Properties!.Description = `RestApi deployment id: ${DEPLOYMENT_HASH_PLACEHOLDER}`;
  }
  const text = JSON.stringify(translation.ok).replace(/"([A-Za-z0-9]+Deployment[0-9a-f]{10})"/g, (whole, id: string) => (renamed.has(id) ? `"${renamed.get(id)}"` : whole));
  return { ok: JSON.parse(text) as Record<string, unknown> };
}

describe('the SAM transform matches samtranslator on the fixture corpus', { skip: samTranslatorAvailable() ? false : SAM_TRANSLATOR_MISSING }, () => {
  const oracle: Record<string, OracleResult> = samTranslatorAvailable() ? translateWithSamTranslator(fixtures) : {};

  it('has a corpus of at least 30 templates', () => {
    assert.ok(Object.keys(fixtures).length >= 30, `only ${Object.keys(fixtures).length} fixtures`);
  });

  for (const [name, template] of Object.entries(fixtures)) {
    it(name, () => {
      const ours = placeholdDeploymentHashes(sortDependsOn(translateWithLambkin(template)));
      const theirs = placeholdDeploymentHashes(sortDependsOn(structuredClone(oracle[name]!)));
      const differences = INTENDED_DIFFERENCES.filter((difference) => difference.fixture === name);
      for (const difference of differences) {
        if (difference.path === '$error') {
          assert.ok('error' in ours, `${name}: Lambkin was expected to refuse the template (${difference.reason})`);
          if (difference.lambkin !== undefined) assert.match(ours.error, new RegExp(String(difference.lambkin)));
          return;
        }
        assert.ok('ok' in ours && 'ok' in theirs, `${name}: both should translate: ${JSON.stringify(ours)} / ${JSON.stringify(theirs)}`);
        const ourValue = takePath(ours.ok, difference.path);
        takePath(theirs.ok, difference.path);
        if (difference.lambkin !== undefined) assert.deepEqual(ourValue, difference.lambkin, `${name}: ${difference.path}`);
      }
      assert.deepEqual(ours, theirs);
    });
  }
});

describe('the SAM transform on its own', () => {
  it('leaves its input untouched and drops Transform and Globals', () => {
    const template = fixtures['function-properties']!;
    const before = JSON.stringify(template);
    const out = expandServerlessTransform(template, CONTEXT);
    assert.equal(JSON.stringify(template), before);
    assert.equal(out.Transform, undefined);
    assert.equal(out.Globals, undefined);
  });

  it('reports every invalid resource in one SamTransformError with the CloudFormation wording', () => {
    const bad = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        A: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'i.h' } },
        B: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'i.h', CodeUri: 'not-a-uri' } },
      },
    };
    assert.throws(
      () => expandServerlessTransform(bad, CONTEXT),
      (error: unknown) =>
        error instanceof SamTransformError &&
        error.message.startsWith('Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 2. Resource with id [A] is invalid.'),
    );
  });
});
