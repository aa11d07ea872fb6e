/** Documents as the apigatewayv2 API returns them (camelCase JSON). */
export interface ApiDoc {
  apiEndpoint: string;
  apiId: string;
  apiKeySelectionExpression: string;
  createdDate: string;
  description?: string;
  disableExecuteApiEndpoint: boolean;
  name: string;
  protocolType: string;
  routeSelectionExpression: string;
  tags: Record<string, string>;
  version?: string;
  corsConfiguration?: Record<string, unknown>;
}

export interface RouteDoc {
  apiKeyRequired: boolean;
  authorizationType: string;
  routeId: string;
  routeKey: string;
  target?: string;
}

export interface IntegrationDoc {
  connectionType: string;
  integrationId: string;
  integrationMethod: string;
  integrationType: string;
  integrationUri: string;
  payloadFormatVersion: string;
  timeoutInMillis: number;
  description?: string;
}

export interface StageDoc {
  autoDeploy: boolean;
  createdDate: string;
  defaultRouteSettings: Record<string, unknown>;
  deploymentId?: string;
  lastUpdatedDate: string;
  routeSettings: Record<string, unknown>;
  stageName: string;
  stageVariables?: Record<string, string>;
  tags: Record<string, string>;
  description?: string;
}

export interface DeploymentDoc {
  autoDeployed: boolean;
  createdDate: string;
  deploymentId: string;
  deploymentStatus: string;
  description?: string;
}

export type ApigwKind = 'api' | 'route' | 'integration' | 'stage' | 'deployment'
  // REST APIs (src/services/apigateway): methods and integrations live inside their resource's document.
  | 'restapi' | 'rest-resource' | 'rest-deployment' | 'rest-stage' | 'rest-authorizer'
  // Account-level REST API documents, stored under the api id ACCOUNT_LEVEL (see rest/usage-plans.ts).
  | 'apikey' | 'usageplan';
