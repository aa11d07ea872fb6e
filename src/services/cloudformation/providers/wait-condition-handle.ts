import type { ResourceProvider } from './provider.js';

/**
 * A wait condition handle is only a presigned URL on AWS; the CDK puts one in every stack as a
 * placeholder. Nothing signals it in Lambkin.
 */
export const waitConditionHandle: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx) {
    return { physicalId: `https://cloudformation-waitcondition-${ctx.region}.s3.amazonaws.com/${encodeURIComponent(ctx.stackId)}/${ctx.logicalId}` };
  },
  async delete() {},
};
