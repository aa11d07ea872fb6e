import * as sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import { errors } from '../src/services/elbv2/errors.js';
import { describeCatalogue, modelStatuses, type Expectation } from './support/error-catalogue.js';

const lb = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/lb/50dc6c495c0c9188';
const tg = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/73e2d6bc24d8a067';
const fn = 'arn:aws:lambda:us-east-1:000000000000:function:fn';

const expectations: Record<keyof typeof errors, Expectation> = {
  validation: { error: errors.validation('detail'), code: 'ValidationError', message: 'detail', source: 'caller' },
  missingParameter: {
    error: errors.missingParameter('Name'),
    code: 'ValidationError',
    message: "1 validation error detected: Value null at 'Name' failed to satisfy constraint: Member must not be null",
    source: 'aws',
  },
  invalidAction: { error: errors.invalidAction('Nope'), code: 'InvalidAction', message: 'The action Nope is not valid for this web service.', source: 'aws' },
  loadBalancerNotFound: { error: errors.loadBalancerNotFound(), code: 'LoadBalancerNotFound', message: 'One or more load balancers not found', source: 'aws' },
  targetGroupNotFound: { error: errors.targetGroupNotFound(), code: 'TargetGroupNotFound', message: 'One or more target groups not found', source: 'aws' },
  listenerNotFound: { error: errors.listenerNotFound(), code: 'ListenerNotFound', message: 'One or more listeners not found', source: 'aws' },
  ruleNotFound: { error: errors.ruleNotFound(), code: 'RuleNotFound', message: 'One or more rules not found', source: 'aws' },
  duplicateLoadBalancerName: {
    error: errors.duplicateLoadBalancerName('lb'),
    code: 'DuplicateLoadBalancerName',
    message: "A load balancer with the same name 'lb' exists, but with different settings",
    source: 'aws',
  },
  duplicateTargetGroupName: {
    error: errors.duplicateTargetGroupName('tg'),
    code: 'DuplicateTargetGroupName',
    message: "A target group with the same name 'tg' exists, but with different settings",
    source: 'aws',
  },
  duplicateListener: { error: errors.duplicateListener(), code: 'DuplicateListener', message: 'A listener already exists on this port for this load balancer', source: 'aws' },
  priorityInUse: { error: errors.priorityInUse(5), code: 'PriorityInUse', message: "Priority '5' is currently in use", source: 'aws' },
  resourceInUse: { error: errors.resourceInUse(tg), code: 'ResourceInUse', message: `Target group '${tg}' is currently in use by a listener or a rule`, source: 'aws' },
  invalidTarget: { error: errors.invalidTarget('detail'), code: 'InvalidTarget', message: 'detail', source: 'caller' },
  certificateNotFound: {
    error: errors.certificateNotFound('arn:aws:acm:us-east-1:000000000000:certificate/x'),
    code: 'CertificateNotFound',
    message: "Certificate 'arn:aws:acm:us-east-1:000000000000:certificate/x' not found",
    source: 'aws',
  },
  invalidConfiguration: { error: errors.invalidConfiguration(`detail ${lb}`), code: 'InvalidConfigurationRequest', message: `detail ${lb}`, source: 'caller' },
  operationNotPermitted: { error: errors.operationNotPermitted('detail'), code: 'OperationNotPermitted', message: 'detail', source: 'caller' },
  lambdaPermission: {
    error: errors.lambdaPermission(fn, tg),
    code: 'AccessDenied',
    message: `elasticloadbalancing principal does not have permission to invoke ${fn} from target group ${tg}`,
    source: 'aws',
  },
  tooManyTargets: {
    error: errors.tooManyTargets(),
    code: 'TooManyTargets',
    message: 'You have reached the maximum number of targets allowed for this target group',
    source: 'aws',
  },
  // AWS's text for InternalFailure (API reference, "Common Errors").
  internal: {
    error: errors.internal(),
    code: 'InternalFailure',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
    source: 'aws',
  },
};

describeCatalogue({
  service: 'elbv2',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  // The query API's common errors (AWS API reference, "Common Errors").
  documented: { ValidationError: 400, InvalidAction: 400, InternalFailure: 500 },
  unlisted: {
    AccessDenied: { status: 403, reason: 'RegisterTargets without the lambda:InvokeFunction permission; the ELBv2 model defines no AccessDenied shape' },
  },
});
