/** REST API documents as the apigateway API returns them (camelCase JSON, dates in epoch seconds). */
export interface RestApiDoc {
  id: string;
  name: string;
  description?: string;
  createdDate: number;
  version?: string;
  binaryMediaTypes?: string[];
  apiKeySource: string;
  endpointConfiguration: { types: string[] };
  tags: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
}

export interface MethodResponseDoc {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface IntegrationResponseDoc {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

export interface IntegrationDoc {
  type: string;
  httpMethod?: string;
  uri?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior: string;
  timeoutInMillis: number;
  cacheNamespace: string;
  cacheKeyParameters: string[];
  integrationResponses?: Record<string, IntegrationResponseDoc>;
}

export interface MethodDoc {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  methodResponses?: Record<string, MethodResponseDoc>;
  methodIntegration?: IntegrationDoc;
}

/** A resource with its methods (and their integrations) in one document: a deployment copies them whole. */
export interface ResourceDoc {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods?: Record<string, MethodDoc>;
}

export interface DeploymentDoc {
  id: string;
  description?: string;
  createdDate: number;
}

/** What a deployment serves: the API's resources and authorizers when it was made. Never returned. */
export interface DeploymentSnapshot {
  resources: ResourceDoc[];
  authorizers: AuthorizerDoc[];
}

export interface StoredDeployment {
  doc: DeploymentDoc;
  snapshot: DeploymentSnapshot;
}

export interface StageDoc {
  deploymentId: string;
  stageName: string;
  description?: string;
  cacheClusterEnabled: boolean;
  cacheClusterStatus: string;
  methodSettings: Record<string, unknown>;
  variables?: Record<string, string>;
  tracingEnabled: boolean;
  tags?: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface AuthorizerDoc {
  id: string;
  name: string;
  type: string;
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds: number;
  providerARNs?: string[];
}

/** An API key as stored: `value` is returned only where AWS returns it (create, includeValue). */
export interface ApiKeyDoc {
  id: string;
  value: string;
  name: string;
  description?: string;
  enabled: boolean;
  customerId?: string;
  createdDate: number;
  lastUpdatedDate: number;
  stageKeys: string[];
  tags: Record<string, string>;
}

export interface UsagePlanDoc {
  id: string;
  name: string;
  description?: string;
  apiStages: Array<{ apiId: string; stage: string }>;
  throttle?: { burstLimit?: number; rateLimit?: number };
  quota?: { limit: number; offset?: number; period: string };
  productCode?: string;
  tags: Record<string, string>;
}

/** A usage plan with the ids of its API keys (UsagePlanKeys); the keys live in their own documents. */
export interface StoredUsagePlan {
  doc: UsagePlanDoc;
  keyIds: string[];
  /** When the quota was set (epoch ms): its `offset` is taken off the limit of the period this falls in. */
  quotaSetAt?: number;
  /** UpdateUsage's `/remaining` per key: what it adds to the limit of the period starting on `period` (YYYY-MM-DD). */
  extensions?: Record<string, { period: string; extra: number }>;
}
