package com.amazonaws.services.lambda.runtime;

/** The caller's Amazon Cognito identity, when it has one (source-compatible with aws-lambda-java-core). */
public interface CognitoIdentity {
    String getIdentityId();

    String getIdentityPoolId();
}
