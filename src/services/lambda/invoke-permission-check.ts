import type { FunctionInvokeCheck, InvokePolicyCheck, ServiceCaller } from '../../contracts/function-invoke-check.js';
import type { Store } from '../../store/database.js';
import { parseFunctionName } from './arns.js';
import { isInvokeAllowed } from './policy-check.js';
import { readAlias } from './tables/aliases-table.js';
import type { FunctionsTable } from './tables/functions-table.js';

/**
 * Lambda's in-process answers for services that must validate a function target before they
 * accept it: S3 notifications (does the function and qualifier exist, and does its resource policy
 * let this service principal invoke it?) and ELB target groups (the policy alone).
 */
export function functionInvokeCheck(db: Store, functions: FunctionsTable): FunctionInvokeCheck & InvokePolicyCheck {
  return {
    async check(functionArn: string, caller: ServiceCaller): Promise<'allowed' | 'denied' | 'missing'> {
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
    allowsInvoke(target, caller: ServiceCaller): Promise<boolean> {
      const scope = { accountId: target.accountId, region: target.region };
      return isInvokeAllowed(db, scope, target.functionName, target.qualifier, { action: 'lambda:InvokeFunction', ...caller });
    },
  };
}
