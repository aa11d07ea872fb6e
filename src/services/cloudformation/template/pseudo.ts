/** What the pseudo parameters stand for in one stack. */
export interface StackIdentity {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  partition: string;
  urlSuffix: string;
  notificationArns: string[];
}

/** `AWS::NoValue`: a property set to it is left out. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export function pseudoParameter(name: string, id: StackIdentity): string | string[] | typeof NO_VALUE | undefined {
  switch (name) {
    case 'AWS::AccountId': return id.accountId;
    case 'AWS::Region': return id.region;
    case 'AWS::StackName': return id.stackName;
    case 'AWS::StackId': return id.stackId;
    case 'AWS::Partition': return id.partition;
    case 'AWS::URLSuffix': return id.urlSuffix;
    case 'AWS::NotificationARNs': return id.notificationArns;
    case 'AWS::NoValue': return NO_VALUE;
    default: return undefined;
  }
}

export const PSEUDO_PARAMETERS = ['AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::StackId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::NotificationARNs', 'AWS::NoValue'];

/** The availability zones Fn::GetAZs lists: the region's a, b and c. */
export function availabilityZones(region: string): string[] {
  return ['a', 'b', 'c'].map((s) => `${region}${s}`);
}
