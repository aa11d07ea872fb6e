import { AwsError } from '../../contracts/aws-error.js';

/** Every error the ELBv2 API subset sends, with AWS's code, status and message. */
export const errors = {
  validation: (message: string) => new AwsError('ValidationError', 400, message),
  missingParameter: (name: string) => new AwsError('ValidationError', 400, `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`),
  invalidAction: (action: string) => new AwsError('InvalidAction', 400, `The action ${action} is not valid for this web service.`),
  loadBalancerNotFound: () => new AwsError('LoadBalancerNotFound', 400, 'One or more load balancers not found'),
  targetGroupNotFound: () => new AwsError('TargetGroupNotFound', 400, 'One or more target groups not found'),
  listenerNotFound: () => new AwsError('ListenerNotFound', 400, 'One or more listeners not found'),
  ruleNotFound: () => new AwsError('RuleNotFound', 400, 'One or more rules not found'),
  duplicateLoadBalancerName: (name: string) => new AwsError('DuplicateLoadBalancerName', 400, `A load balancer with the same name '${name}' exists, but with different settings`),
  duplicateTargetGroupName: (name: string) => new AwsError('DuplicateTargetGroupName', 400, `A target group with the same name '${name}' exists, but with different settings`),
  duplicateListener: () => new AwsError('DuplicateListener', 400, 'A listener already exists on this port for this load balancer'),
  priorityInUse: (priority: number) => new AwsError('PriorityInUse', 400, `Priority '${priority}' is currently in use`),
  resourceInUse: (arn: string) => new AwsError('ResourceInUse', 400, `Target group '${arn}' is currently in use by a listener or a rule`),
  invalidTarget: (message: string) => new AwsError('InvalidTarget', 400, message),
  certificateNotFound: (arn: string) => new AwsError('CertificateNotFound', 400, `Certificate '${arn}' not found`),
  invalidConfiguration: (message: string) => new AwsError('InvalidConfigurationRequest', 400, message),
  operationNotPermitted: (message: string) => new AwsError('OperationNotPermitted', 400, message),
  lambdaPermission: (functionArn: string, targetGroupArn: string) =>
    new AwsError('AccessDenied', 403, `elasticloadbalancing principal does not have permission to invoke ${functionArn} from target group ${targetGroupArn}`),
  tooManyTargets: () => new AwsError('TooManyTargets', 400, 'You have reached the maximum number of targets allowed for this target group'),
  internal: () => new AwsError('InternalFailure', 500, 'The request processing has failed because of an unknown error, exception or failure.'),
};
