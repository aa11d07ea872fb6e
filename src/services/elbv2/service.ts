import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import type { ElbDeps } from './deps.js';
import { errors } from './errors.js';
import { ELB_DIALECT } from './limits.js';
import { elbManagementCall } from './management-calls.js';
import { createListener, deleteListener, describeListeners, modifyListener } from './listeners.js';
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancers } from './load-balancers.js';
import type { Scope } from './model.js';
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules.js';
import {
  createTargetGroup, deleteTargetGroup, deregisterTargets, describeTargetGroupAttributes, describeTargetGroups, describeTargetHealth,
  modifyTargetGroupAttributes, registerTargets,
} from './target-groups.js';

type Operation = (deps: ElbDeps, scope: Scope, params: QueryParams) => Promise<Record<string, XmlValue>>;

const OPERATIONS: Record<string, Operation> = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  DeleteTargetGroup: deleteTargetGroup,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DeleteListener: deleteListener,
  CreateRule: createRule,
  DescribeRules: describeRules,
  ModifyRule: modifyRule,
  SetRulePriorities: setRulePriorities,
  DeleteRule: deleteRule,
};

const MAX_BODY_BYTES = 1024 * 1024;

/** The ELBv2 query API subset that puts Lambda functions behind an Application Load Balancer. */
export function createElbService(deps: ElbDeps): Service {
  // Writes are serialized: port checks and priority checks read before they write.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name: 'elasticloadbalancing',
    signingName: 'elasticloadbalancing',
    targetPrefixes: [],
    maxBodyBytes: MAX_BODY_BYTES,
    ownsPath: () => false,
    queryActions: new Set(Object.keys(OPERATIONS)),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: false });
      const action = params.action;
      const operation = OPERATIONS[action];
      if (!operation) throw errors.invalidAction(action);
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const run = () => operation(deps, scope, params);
      const result = action.startsWith('Describe') ? run() : (queue = queue.then(run, run));
      return queryResponse(ELB_DIALECT, action, ctx.requestId, (await result) as Record<string, XmlValue>);
    },
    serializeError: (error: AwsError) => queryError(ELB_DIALECT, error, randomUUID()),
    tooLarge: () => errors.validation('Request body too large'),
    managementCall: (ctx: RequestContext) => elbManagementCall(ctx),
  };
}
