/**
 * AWS managed policy names SAM templates name most, with their paths. samtranslator carries a map
 * of every AWS managed policy per partition; Lambkin carries the ones Lambda templates use. A name
 * not listed here stays as written (samtranslator does the same for names it does not know), and
 * an ARN always passes through.
 */
const MANAGED_POLICY_PATHS: Readonly<Record<string, string>> = {
  AWSLambdaBasicExecutionRole: 'service-role/AWSLambdaBasicExecutionRole',
  AWSLambdaBasicDurableExecutionRolePolicy: 'service-role/AWSLambdaBasicDurableExecutionRolePolicy',
  AWSLambdaVPCAccessExecutionRole: 'service-role/AWSLambdaVPCAccessExecutionRole',
  AWSLambdaKinesisExecutionRole: 'service-role/AWSLambdaKinesisExecutionRole',
  AWSLambdaDynamoDBExecutionRole: 'service-role/AWSLambdaDynamoDBExecutionRole',
  AWSLambdaSQSQueueExecutionRole: 'service-role/AWSLambdaSQSQueueExecutionRole',
  AWSLambdaRole: 'service-role/AWSLambdaRole',
  AWSLambdaExecute: 'AWSLambdaExecute',
  AWSLambda_FullAccess: 'AWSLambda_FullAccess',
  AWSLambda_ReadOnlyAccess: 'AWSLambda_ReadOnlyAccess',
  AWSXrayWriteOnlyAccess: 'AWSXrayWriteOnlyAccess',
  AWSXRayDaemonWriteAccess: 'AWSXRayDaemonWriteAccess',
  AmazonS3FullAccess: 'AmazonS3FullAccess',
  AmazonS3ReadOnlyAccess: 'AmazonS3ReadOnlyAccess',
  AmazonSQSFullAccess: 'AmazonSQSFullAccess',
  AmazonSQSReadOnlyAccess: 'AmazonSQSReadOnlyAccess',
  AmazonSNSFullAccess: 'AmazonSNSFullAccess',
  AmazonSNSReadOnlyAccess: 'AmazonSNSReadOnlyAccess',
  AmazonDynamoDBFullAccess: 'AmazonDynamoDBFullAccess',
  AmazonDynamoDBReadOnlyAccess: 'AmazonDynamoDBReadOnlyAccess',
  AmazonKinesisFullAccess: 'AmazonKinesisFullAccess',
  AmazonKinesisReadOnlyAccess: 'AmazonKinesisReadOnlyAccess',
  AmazonEventBridgeFullAccess: 'AmazonEventBridgeFullAccess',
  CloudWatchLogsFullAccess: 'CloudWatchLogsFullAccess',
  CloudWatchLogsReadOnlyAccess: 'CloudWatchLogsReadOnlyAccess',
  CloudWatchFullAccess: 'CloudWatchFullAccess',
  AmazonSSMReadOnlyAccess: 'AmazonSSMReadOnlyAccess',
  ReadOnlyAccess: 'ReadOnlyAccess',
  AdministratorAccess: 'AdministratorAccess',
};

export function awsManagedPolicyArn(partition: string, path: string): string {
  return `arn:${partition}:iam::aws:policy/${path}`;
}

/** The ARN for a managed policy name, or the name itself when it is an ARN or unknown. */
export function managedPolicyArn(partition: string, name: string): string {
  const path = MANAGED_POLICY_PATHS[name];
  return path ? awsManagedPolicyArn(partition, path) : name;
}
