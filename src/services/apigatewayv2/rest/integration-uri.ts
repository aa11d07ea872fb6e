/** `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`; group 2 is the function ARN. */
export const LAMBDA_INTEGRATION_URI = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+):lambda:path\/2015-03-31\/functions\/(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]+(?::[a-zA-Z0-9-_$]+)?)\/invocations$/;
