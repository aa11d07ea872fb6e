import { apigatewayApiKey, apigatewayAuthorizer, apigatewayUsagePlan, apigatewayUsagePlanKey } from './apigateway-rest-access.js';
import { apigatewayDeployment, apigatewayMethod, apigatewayResource, apigatewayRestApi, apigatewayStage } from './apigateway-rest.js';
import { apigatewayv2Api, apigatewayv2Integration, apigatewayv2Route, apigatewayv2Stage } from './apigatewayv2.js';
import { cdkMetadata } from './cdk-metadata.js';
import { cloudwatchAlarm } from './cloudwatch-alarm.js';
import { customResource } from './custom-resource.js';
import { dynamodbTable } from './dynamodb-table.js';
import { ecrRepository } from './ecr-repository.js';
import { elbv2Listener, elbv2ListenerRule, elbv2LoadBalancer, elbv2TargetGroup } from './elbv2.js';
import { eventsEventBus, eventsRule } from './events.js';
import { iamManagedPolicy, iamPolicy, iamRole } from './iam.js';
import { kinesisStream } from './kinesis-stream.js';
import { lambdaAlias } from './lambda-alias.js';
import { lambdaEventInvokeConfig } from './lambda-event-invoke-config.js';
import { lambdaEventSourceMapping } from './lambda-event-source-mapping.js';
import { lambdaFunction } from './lambda-function.js';
import { lambdaLayerVersion, lambdaLayerVersionPermission } from './lambda-layer-version.js';
import { lambdaPermission } from './lambda-permission.js';
import { lambdaUrl } from './lambda-url.js';
import { lambdaVersion } from './lambda-version.js';
import { logsLogGroup } from './logs-log-group.js';
import { nestedStack } from './nested-stack.js';
import type { ResourceProvider } from './provider.js';
import { s3Bucket, s3BucketPolicy } from './s3-bucket.js';
import { snsSubscription, snsTopic, snsTopicPolicy } from './sns.js';
import { sqsQueue, sqsQueuePolicy } from './sqs-queue.js';
import { ssmParameter } from './ssm-parameter.js';
import { waitConditionHandle } from './wait-condition-handle.js';

/** Every resource type Lambkin's CloudFormation creates. */
export const resourceProviders: Record<string, ResourceProvider> = {
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Permission': lambdaPermission,
  'AWS::Lambda::Version': lambdaVersion,
  'AWS::Lambda::Alias': lambdaAlias,
  'AWS::Lambda::EventSourceMapping': lambdaEventSourceMapping,
  'AWS::Lambda::Url': lambdaUrl,
  'AWS::Lambda::EventInvokeConfig': lambdaEventInvokeConfig,
  'AWS::Lambda::LayerVersion': lambdaLayerVersion,
  'AWS::Lambda::LayerVersionPermission': lambdaLayerVersionPermission,
  'AWS::S3::Bucket': s3Bucket,
  'AWS::S3::BucketPolicy': s3BucketPolicy,
  'AWS::SQS::Queue': sqsQueue,
  'AWS::SQS::QueuePolicy': sqsQueuePolicy,
  'AWS::SNS::Topic': snsTopic,
  'AWS::SNS::Subscription': snsSubscription,
  'AWS::SNS::TopicPolicy': snsTopicPolicy,
  'AWS::Events::Rule': eventsRule,
  'AWS::Events::EventBus': eventsEventBus,
  'AWS::IAM::Role': iamRole,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::IAM::ManagedPolicy': iamManagedPolicy,
  'AWS::DynamoDB::Table': dynamodbTable,
  'AWS::Kinesis::Stream': kinesisStream,
  'AWS::Logs::LogGroup': logsLogGroup,
  'AWS::CloudWatch::Alarm': cloudwatchAlarm,
  'AWS::CloudFormation::WaitConditionHandle': waitConditionHandle,
  'AWS::CDK::Metadata': cdkMetadata,
  'AWS::CloudFormation::Stack': nestedStack,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::ECR::Repository': ecrRepository,
  'AWS::CloudFormation::CustomResource': customResource('AWS::CloudFormation::CustomResource'),
  'AWS::ElasticLoadBalancingV2::LoadBalancer': elbv2LoadBalancer,
  'AWS::ElasticLoadBalancingV2::TargetGroup': elbv2TargetGroup,
  'AWS::ElasticLoadBalancingV2::Listener': elbv2Listener,
  'AWS::ElasticLoadBalancingV2::ListenerRule': elbv2ListenerRule,
  'AWS::ApiGateway::RestApi': apigatewayRestApi,
  'AWS::ApiGateway::Resource': apigatewayResource,
  'AWS::ApiGateway::Method': apigatewayMethod,
  'AWS::ApiGateway::Deployment': apigatewayDeployment,
  'AWS::ApiGateway::Stage': apigatewayStage,
  'AWS::ApiGateway::Authorizer': apigatewayAuthorizer,
  'AWS::ApiGateway::ApiKey': apigatewayApiKey,
  'AWS::ApiGateway::UsagePlan': apigatewayUsagePlan,
  'AWS::ApiGateway::UsagePlanKey': apigatewayUsagePlanKey,
  'AWS::ApiGatewayV2::Api': apigatewayv2Api,
  'AWS::ApiGatewayV2::Stage': apigatewayv2Stage,
  'AWS::ApiGatewayV2::Integration': apigatewayv2Integration,
  'AWS::ApiGatewayV2::Route': apigatewayv2Route,
};

/** The provider of a type; every `Custom::Name` is a custom resource. */
export function providerFor(providers: Record<string, ResourceProvider>, type: string): ResourceProvider | undefined {
  return providers[type] ?? (type.startsWith('Custom::') ? customResource(type) : undefined);
}
