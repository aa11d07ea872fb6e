import type { CfnOperation } from '../deps.js';
import { changeSetOperations } from './change-sets.js';
import { describeOperations } from './describe.js';
import { stackOperations } from './stacks.js';
import { templateOperations } from './templates.js';

/** Every CloudFormation action Lambkin answers. */
export const cfnOperations: Record<string, CfnOperation> = {
  ...stackOperations,
  ...describeOperations,
  ...templateOperations,
  ...changeSetOperations,
};
