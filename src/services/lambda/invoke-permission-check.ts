import type { Store } from '../../store/database.js';
import { parseFunctionName } from './arns.js';
import { isInvokeAllowed } from './policy-check.js';
import { readAlias } from './tables/aliases-table.js';
import type { FunctionsTable } from './tables/functions-table.js';

/**
 * Lambda's in-process answer for services that must validate a function destination before they
 * accept it (S3 notifications): does the function (and qualifier) exist, and does its resource
 * policy let this service principal invoke it?
 */
export function functionInvokeCheck(db: Store, functions: FunctionsTable) {
  return {
    async check(functionArn: string, caller: { principalService: string; sourceArn: string; sourceAccount: string }): Promise<'allowed' | 'denied' | 'missing'> {
      const parts = parseFunctionName(functionArn);
      if (!parts || !parts.accountId || !parts.region) return 'missing';
      const scope = { accountId: parts.accountId, region: parts.region };
      if (!(await functions.getFunction(scope, parts.name))) return 'missing';
      const qualifier = parts.qualifier;
      if (qualifier && qualifier !== '$LATEST') {
        const exists = /^\d+$/.test(qualifier) ? await functions.getVersion(scope, parts.name, qualifier) : await readAlias(db, scope, parts.name, qualifier);
        if (!exists) return 'missing';
      }
      const allowed = await isInvokeAllowed(db, scope, parts.name, qualifier, { action: 'lambda:InvokeFunction', ...caller });
      return allowed ? 'allowed' : 'denied';
    },
  };
}
