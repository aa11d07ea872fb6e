/**
 * Runtime ids the CreateFunction server-side enum accepts (recorded from AWS, spec §2.5), and the
 * dates after which AWS blocks creating or updating functions on them.
 */
export const ACCEPTED_RUNTIMES = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25',
  'python3.10', 'python3.11', 'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17',
  'nodejs16.x', 'dotnet10', 'dotnet8', 'java11', 'dotnet6', 'nodejs18.x', 'provided.al2', 'java8.al2',
] as const;

/** Ids in the API model that AWS no longer accepts at all for new code. */
const LONG_DEPRECATED = [
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'java8', 'python2.7',
  'python3.6', 'python3.7', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'nodejs4.3-edge',
  'go1.x', 'ruby2.5', 'ruby2.7', 'provided',
] as const;

const BLOCK_DATES: Record<string, string> = {
  'python3.8': '2025-03-06',
  'nodejs16.x': '2025-03-06',
  'dotnet6': '2025-03-06',
  'nodejs18.x': '2025-09-01',
  'python3.9': '2025-12-15',
  'ruby3.2': '2026-03-31',
  'nodejs20.x': '2026-04-30',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  'java8.al2': '2026-06-30',
  'java11': '2026-06-30',
  'java17': '2026-06-30',
  'provided.al2': '2026-06-30',
  'dotnet8': '2026-11-10',
  'ruby3.3': '2027-03-31',
  'nodejs22.x': '2027-04-30',
  'python3.12': '2028-10-31',
  'python3.13': '2029-06-30',
  'java21': '2029-06-30',
  'provided.al2023': '2029-06-30',
};

export type RuntimeStatus = 'supported' | 'deprecated' | 'unknown';

/**
 * `allowDeprecated` lets operators keep deploying to runtimes AWS has blocked (local work on old
 * functions); it is off by default so behaviour matches AWS.
 */
export function runtimeStatus(runtime: string, nowMs: number, allowDeprecated: boolean): RuntimeStatus {
  if ((LONG_DEPRECATED as readonly string[]).includes(runtime)) return allowDeprecated ? 'supported' : 'deprecated';
  if (!(ACCEPTED_RUNTIMES as readonly string[]).includes(runtime)) return 'unknown';
  const block = BLOCK_DATES[runtime];
  if (block && nowMs >= Date.parse(`${block}T00:00:00Z`) && !allowDeprecated) return 'deprecated';
  return 'supported';
}
