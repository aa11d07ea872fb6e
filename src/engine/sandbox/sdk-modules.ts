import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | null | undefined;

/**
 * Lambkin's own `node_modules`, which holds the AWS SDK for JavaScript v3 clients Node functions
 * get without packaging them (AWS ships them under `/var/runtime/node_modules`).
 */
export function lambkinNodeModules(): string | null {
  if (found === undefined) {
    found = null;
    for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules');
      if (existsSync(path.join(candidate, '@aws-sdk'))) {
        found = candidate;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return found;
}
