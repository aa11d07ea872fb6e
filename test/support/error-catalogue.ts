import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { AwsError } from '../../src/contracts/aws-error.js';

/** Error texts real AWS Lambda returned, copied into the repository with their origin (see its README). */
const RECORDED = JSON.parse(readFileSync(new URL('../../../test/fixtures/parity/lambda-recorded-errors.json', import.meta.url), 'utf8')) as {
  errors: Array<{ code: string; message: string }>;
  quoted: Array<{ text: string }>;
};

/**
 * Where an expected message comes from:
 * - `recorded`: AWS's text, found in the recordings in test/fixtures/parity (the suite checks it is there);
 * - `aws`: AWS's text as the catalogue restates it, with no recording here to compare with;
 * - `lambkin`: Lambkin's own wording (AWS has no counterpart, or its text is not on record here);
 * - `caller`: the caller supplies the text (a validation detail), so only code and status are AWS's.
 */
export type MessageSource = 'recorded' | 'aws' | 'lambkin' | 'caller';

export interface Expectation {
  /** The catalogue entry, called with sample arguments. */
  error: AwsError;
  code: string;
  message: string;
  source: MessageSource;
}

export interface CatalogueSuite {
  service: string;
  /** The service's `errors` object: every factory must have an expectation. */
  catalogue: Record<string, unknown>;
  expectations: Record<string, Expectation>;
  /** HTTP status of each code the AWS service model defines (`modelStatuses`). */
  model: ReadonlyMap<string, number>;
  /** HTTP status of the codes the model does not define, as AWS documents them. */
  documented: Readonly<Record<string, number>>;
  /** Codes where Lambkin sends another status than AWS: the status it sends and why. */
  differences?: Readonly<Record<string, { status: number; reason: string }>>;
  /** Codes for which neither the model nor AWS's documentation gives this service a status: what Lambkin sends, and why. */
  unlisted?: Readonly<Record<string, { status: number; reason: string }>>;
  /** Code → messages recorded from real AWS, for the `recorded` expectations. */
  recorded?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The HTTP status of every error shape in an AWS SDK client's service model, by shape name and by
 * its query-protocol code (`awsQueryError`). A client error without an `httpError` trait is a 400.
 */
export function modelStatuses(sdk: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, value] of Object.entries(sdk)) {
    // Error schemas are exported as `<Shape>$`: [-3, namespace, name, traits, …].
    if (!name.endsWith('$') || !Array.isArray(value) || value[0] !== -3) continue;
    const traits = value[3] as { error?: string; httpError?: number; awsQueryError?: [string, number] };
    const status = traits.httpError ?? traits.awsQueryError?.[1] ?? (traits.error === 'server' ? 500 : 400);
    out.set(value[2] as string, status);
    if (traits.awsQueryError) out.set(traits.awsQueryError[0], traits.awsQueryError[1]);
  }
  assert.ok(out.size > 0, 'the SDK exports no error schemas: its layout changed, update modelStatuses');
  return out;
}

/** Query-protocol code of each error shape that has one (`awsQueryError`). */
export function modelQueryCodes(sdk: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(sdk)) {
    if (!name.endsWith('$') || !Array.isArray(value) || value[0] !== -3) continue;
    const traits = value[3] as { awsQueryError?: [string, number] };
    if (traits.awsQueryError) out.set(value[2] as string, traits.awsQueryError[0]);
  }
  return out;
}

/** Every Lambda error code recorded from real AWS, with the messages it came with. */
export function recordedLambdaErrors(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { code, message } of RECORDED.errors) {
    if (!out.has(code)) out.set(code, new Set());
    out.get(code)?.add(message);
  }
  return out;
}

/**
 * Another service's errors as real AWS Lambda quoted them in recorded responses, e.g.
 * `… S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.`: code → messages.
 */
export function recordedQuotedErrors(service: 'S3' | 'SQS'): Map<string, Set<string>> {
  const pattern = new RegExp(`${service} Error Code: (\\S+)\\. ${service} Error Message: (.+)$`);
  const out = new Map<string, Set<string>>();
  for (const { text } of RECORDED.quoted) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [, code, message] = match as unknown as [string, string, string];
    if (!out.has(code)) out.set(code, new Set());
    out.get(code)?.add(message);
  }
  return out;
}

/** The suite every service's catalogue runs: coverage, then code, status and message of each entry. */
export function describeCatalogue(suite: CatalogueSuite): void {
  const differences = suite.differences ?? {};
  const unlisted = suite.unlisted ?? {};
  const awsStatus = (code: string): number | undefined => suite.model.get(code) ?? suite.documented[code];

  describe(`${suite.service} error catalogue`, () => {
    test('every catalogue entry has an expectation, and every expectation an entry', () => {
      const entries = Object.keys(suite.catalogue).sort();
      const expected = Object.keys(suite.expectations).sort();
      assert.deepEqual(
        entries.filter((name) => !expected.includes(name)),
        [],
        'catalogue entries without an expectation: add each, with AWS code, status and message',
      );
      assert.deepEqual(expected.filter((name) => !entries.includes(name)), [], 'expectations for entries the catalogue no longer has');
    });

    for (const [name, expectation] of Object.entries(suite.expectations)) {
      test(`${name}: ${expectation.code}, ${expectation.source} message`, () => {
        const { error, code, message, source } = expectation;
        assert.equal(error.code, code);
        assert.equal(error.message, message);
        const status = awsStatus(code) ?? unlisted[code]?.status;
        assert.ok(status !== undefined, `${code} is not in the AWS service model, the documented codes or the unlisted ones`);
        assert.equal(error.status, differences[code]?.status ?? status, `${code}: AWS answers ${status}`);
        if (source === 'recorded') {
          const messages = suite.recorded?.get(code) ?? new Set<string>();
          assert.ok(messages.has(message), `"${message}" not among the recorded ${code} messages: ${[...messages].join(' | ') || 'none'}`);
        }
      });
    }

    test('each code has one source of its status, and every listed difference still differs', () => {
      for (const code of Object.keys(suite.documented)) assert.ok(!suite.model.has(code), `${code} is in the model: drop it from the documented table`);
      for (const code of Object.keys(unlisted)) assert.ok(awsStatus(code) === undefined, `${code} has an AWS status now: drop it from the unlisted codes`);
      for (const [code, { status }] of Object.entries(differences)) {
        const aws = awsStatus(code);
        assert.ok(aws !== undefined && aws !== status, `${code}: Lambkin now answers as AWS does (${status}); drop it from the differences`);
      }
    });
  });
}
