import type { Clock } from '../../clock.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { Store } from '../../store/database.js';
import { operatorAccess } from '../operator-access.js';
import { computeBill, type Bill } from './bill.js';
import { monthlyUsage, monthOf, monthRange, type BillGrouping } from './monthly-usage.js';

const GROUPINGS: readonly BillGrouping[] = ['function', 'day', 'version'];

/** The bill of one account's month (this month when absent), by function, day or version. */
export async function billFor(db: Store, options: { accountId: string; region?: string; month?: string; by?: BillGrouping; nowMs: number }): Promise<Bill> {
  const month = options.month ?? monthOf(options.nowMs);
  monthRange(month);
  const { invocations, allocations } = await monthlyUsage(db, { accountId: options.accountId, region: options.region }, month, options.by ?? 'function', options.nowMs);
  return computeBill(month, invocations, allocations);
}

/**
 * `GET /_lambkin/billing?month=YYYY-MM&by=function|day|version&account=…&region=…`: the bill as JSON,
 * for the console, behind the operator gate (operator-access.ts): a request signed with an account
 * key reads that account's bill only; loopback and the bearer token any account's.
 */
export function billingRoute(db: Store, clock: Clock, defaultAccountId: string, token: string | undefined): InternalRoute {
  return {
    method: 'GET',
    path: '/_lambkin/billing',
    async handle(_rawPath, query, caller) {
      const access = await operatorAccess(caller, token);
      if ('refused' in access) return access.refused;
      const asked = query.get('account') ?? undefined;
      if (access.allowed === 'account' && asked !== undefined && asked !== access.accountId) {
        return { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `Account ${access.accountId} may not read the bill of account ${asked}.` }) };
      }
      const accountId = access.allowed === 'account' ? access.accountId : (asked ?? defaultAccountId);
      const by = (query.get('by') ?? 'function') as BillGrouping;
      const month = query.get('month') ?? undefined;
      const bad = (message: string) => ({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
      if (!GROUPINGS.includes(by)) return bad(`by must be one of ${GROUPINGS.join(', ')}`);
      if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return bad('month must be YYYY-MM');
      const bill = await billFor(db, { accountId, region: query.get('region') ?? undefined, month, by, nowMs: clock.now() });
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(bill) };
    },
  };
}
