import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ORACLE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/support/sam-oracle.py');

export const SAM_TRANSLATOR_MISSING =
  'samtranslator (AWS SAM translator) is not installed: pip install aws-sam-translator==1.110.0 (Debian: python3-samtranslator)';

/** Whether python3 can import samtranslator (the oracle for Lambkin's SAM transform). */
export function samTranslatorAvailable(): boolean {
  const probe = spawnSync('python3', ['-c', 'import samtranslator'], { stdio: 'ignore' });
  return probe.status === 0;
}

export type OracleResult = { ok: Record<string, unknown> } | { error: string };

/** Every template translated by samtranslator in one python3 run (starting it costs ~1 s). */
export function translateWithSamTranslator(templates: Record<string, unknown>, region = 'us-east-1'): Record<string, OracleResult> {
  const run = spawnSync('python3', [ORACLE_SCRIPT], {
    input: JSON.stringify({ templates, region }),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`samtranslator oracle failed: ${run.stderr.toString()}`);
  return JSON.parse(run.stdout.toString()) as Record<string, OracleResult>;
}
