import type { InternalRoute } from '../contracts/internal-route.js';
import type { Store } from '../store/database.js';
import { recentInvocations } from './invocation-history.js';
import { operatorAccess } from './operator-access.js';

const LIMIT_DEFAULT = 20;
const LIMIT_MAX = 1000;

/**
 * `GET /_lambkin/invocations?function=NAME&limit=N[&region=…&account=…]`: a function's last N
 * invocations, newest first, from the usage records (request id, version, outcome, durations),
 * so a test can assert what ran without scraping logs. Behind the operator gate, as the bill is:
 * loopback and the bearer token read any account, an account-signed request its own.
 */
export function invocationsRoute(db: Store, flushUsage: () => Promise<void>, defaults: { accountId: string; region: string }, token: string | undefined): InternalRoute {
  return {
    method: 'GET',
    path: '/_lambkin/invocations',
    async handle(_rawPath, query, caller) {
      const access = await operatorAccess(caller, token);
      if ('refused' in access) return access.refused;
      const bad = (status: number, code: string, message: string) => ({
        status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, body: JSON.stringify({ __type: code, message }),
      });
      const functionName = query.get('function');
      if (!functionName) return bad(400, 'InvalidParameterValueException', 'The function parameter is required: ?function=NAME.');
      const limitText = query.get('limit');
      const limit = limitText === null ? LIMIT_DEFAULT : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > LIMIT_MAX) return bad(400, 'InvalidParameterValueException', `limit must be an integer from 1 to ${LIMIT_MAX}.`);
      const asked = query.get('account') ?? undefined;
      if (access.allowed === 'account' && asked !== undefined && asked !== access.accountId) {
        return bad(403, 'AccessDeniedException', `Account ${access.accountId} may not read the invocations of account ${asked}.`);
      }
      const accountId = access.allowed === 'account' ? access.accountId : (asked ?? defaults.accountId);
      // Usage records are written in batches: the invocation that just returned must be listed.
      await flushUsage();
      const rows = await recentInvocations(db, { functionName, region: query.get('region') ?? defaults.region, accountId }, limit);
      const invocations = rows.map((r) => ({
        requestId: r.request_id,
        version: r.version,
        outcome: r.outcome,
        timestamp: new Date(Number(r.timestamp)).toISOString(),
        durationMs: r.duration_ms,
        billedDurationMs: r.billed_ms,
        initDurationMs: r.init_ms,
        memorySizeMb: r.memory_mb,
        maxMemoryUsedMb: r.max_memory_used_mb,
      }));
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ functionName, accountId, invocations }) };
    },
  };
}
