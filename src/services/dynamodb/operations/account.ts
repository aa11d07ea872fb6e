import {
  ACCOUNT_MAX_READ_CAPACITY_UNITS,
  ACCOUNT_MAX_WRITE_CAPACITY_UNITS,
  TABLE_MAX_READ_CAPACITY_UNITS,
  TABLE_MAX_WRITE_CAPACITY_UNITS,
} from '../api-limits.js';
import type { DynamodbOperation } from '../deps.js';

/** Endpoint discovery and the account's quotas: SDKs and tools ask before they do anything else. */
export function accountOperations(): Record<string, DynamodbOperation> {
  return {
    async DescribeEndpoints(_input, ctx) {
      // The address clients reached us on; AWS caches an endpoint for a day.
      const { hostname, port } = ctx.endpoint;
      return { Endpoints: [{ Address: `${hostname}:${port}`, CachePeriodInMinutes: 1440 }] };
    },
    async DescribeLimits() {
      return {
        AccountMaxReadCapacityUnits: ACCOUNT_MAX_READ_CAPACITY_UNITS,
        AccountMaxWriteCapacityUnits: ACCOUNT_MAX_WRITE_CAPACITY_UNITS,
        TableMaxReadCapacityUnits: TABLE_MAX_READ_CAPACITY_UNITS,
        TableMaxWriteCapacityUnits: TABLE_MAX_WRITE_CAPACITY_UNITS,
      };
    },
  };
}
