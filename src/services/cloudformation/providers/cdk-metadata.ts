import { randomUUID } from 'node:crypto';
import type { ResourceProvider } from './provider.js';

/**
 * `AWS::CDK::Metadata`: the CDK adds one to every stack it synthesizes (its library versions, for
 * AWS's usage reports). AWS creates nothing for it but a record with a UUID; neither does Lambkin.
 */
export const cdkMetadata: ResourceProvider = {
  replaceOn: [],
  async create() {
    return { physicalId: randomUUID() };
  },
  async update() {},
  async delete() {},
};
