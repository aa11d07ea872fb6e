package com.amazonaws.services.lambda.runtime;

/**
 * What a handler learns about its invocation and environment. Source-compatible with
 * aws-lambda-java-core's interface of the same name (written from its public API documentation);
 * a function that bundles the real artifact uses that one, as it comes first on the class path.
 */
public interface Context {
    String getAwsRequestId();

    String getLogGroupName();

    String getLogStreamName();

    String getFunctionName();

    String getFunctionVersion();

    String getInvokedFunctionArn();

    CognitoIdentity getIdentity();

    ClientContext getClientContext();

    int getRemainingTimeInMillis();

    int getMemoryLimitInMB();

    LambdaLogger getLogger();

    default String getXrayTraceId() {
        return null;
    }

    default String getTenantId() {
        return null;
    }
}
