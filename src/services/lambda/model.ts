/** The FunctionConfiguration document as the API returns it; stored per version exactly so. */
export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: string;
  Environment?: { Variables: Record<string, string> };
  TracingConfig: { Mode: string };
  RevisionId: string;
  Layers?: Array<{ Arn: string; CodeSize: number }>;
  State?: string;
  StateReason?: string;
  StateReasonCode?: string;
  LastUpdateStatus?: string;
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  PackageType: string;
  Architectures: string[];
  EphemeralStorage: { Size: number };
  SnapStart: { ApplyOn: string; OptimizationStatus: string };
  RuntimeVersionConfig?: { RuntimeVersionArn: string };
  LoggingConfig: { LogFormat: string; LogGroup: string; ApplicationLogLevel?: string; SystemLogLevel?: string };
  DeadLetterConfig?: { TargetArn: string };
  KMSKeyArn?: string;
  VpcConfig?: { SubnetIds: string[]; SecurityGroupIds: string[]; VpcId: string; Ipv6AllowedForDualStack?: boolean };
  FileSystemConfigs?: Array<{ Arn: string; LocalMountPath: string }>;
  ImageConfigResponse?: unknown;
  [extra: string]: unknown;
}

export interface Scope {
  accountId: string;
  region: string;
}

/** `2026-01-05T10:11:12.345+0000`, the string timestamp form of FunctionConfiguration. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** The FunctionEventInvokeConfig document as the API returns it; stored per qualifier exactly so. */
export interface FunctionEventInvokeConfig {
  LastModified: number;
  FunctionArn: string;
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig: { OnSuccess: { Destination?: string }; OnFailure: { Destination?: string } };
}

/** A function as a caller names it: the qualifier is a version, an alias, `$LATEST`, or null. */
export interface FunctionRef {
  scope: Scope;
  name: string;
  qualifier: string | null;
}

/** A function URL's `Cors` document, as stored and as the URL door applies it. */
export interface UrlCors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}
