/** AWS-shaped documents as DescribeX returns them (XML element order = key order). */
export interface LoadBalancerDoc {
  LoadBalancerArn: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: string;
  LoadBalancerName: string;
  Scheme: string;
  VpcId: string;
  State: { Code: string };
  Type: string;
  AvailabilityZones: Array<{ ZoneName: string; SubnetId: string }>;
  SecurityGroups: string[];
  IpAddressType: string;
}

export interface TargetGroupDoc {
  TargetGroupArn: string;
  TargetGroupName: string;
  HealthCheckEnabled: boolean;
  HealthCheckIntervalSeconds: number;
  HealthCheckPath: string;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  Matcher: { HttpCode: string };
  LoadBalancerArns: string[];
  TargetType: string;
}

/** What a target group stores besides its description. */
export interface TargetGroupState {
  doc: TargetGroupDoc;
  attributes: Record<string, string>;
  /** Registered Lambda function ARNs (at most one). */
  targets: string[];
}

export interface ActionDoc {
  Type: string;
  TargetGroupArn?: string;
  Order?: number;
  ForwardConfig?: { TargetGroups: Array<{ TargetGroupArn: string; Weight?: number }> };
  FixedResponseConfig?: { MessageBody?: string; StatusCode: string; ContentType?: string };
  RedirectConfig?: Record<string, string>;
}

export interface ConditionDoc {
  Field: string;
  Values?: string[];
  PathPatternConfig?: { Values: string[] };
  HostHeaderConfig?: { Values: string[] };
  HttpHeaderConfig?: { HttpHeaderName: string; Values: string[] };
  HttpRequestMethodConfig?: { Values: string[] };
  QueryStringConfig?: { Values: Array<{ Key?: string; Value: string }> };
  SourceIpConfig?: { Values: string[] };
}

export interface ListenerDoc {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: string;
  /** HTTPS: the CertificateArn given (stored and echoed; the certificate served is Lambkin's local one). */
  Certificates?: Array<{ CertificateArn: string }>;
  SslPolicy?: string;
  DefaultActions: ActionDoc[];
}

export interface RuleDoc {
  RuleArn: string;
  Priority: string;
  Conditions: ConditionDoc[];
  Actions: ActionDoc[];
  IsDefault: boolean;
}

export interface Scope {
  accountId: string;
  region: string;
}

export const TARGET_GROUP_DEFAULT_ATTRIBUTES: Record<string, string> = { 'lambda.multi_value_headers.enabled': 'false' };
