package com.amazonaws.services.lambda.runtime;

/** The calling application, part of a {@link ClientContext} (source-compatible with aws-lambda-java-core). */
public interface Client {
    String getInstallationId();

    String getAppTitle();

    String getAppVersionName();

    String getAppVersionCode();

    String getAppPackageName();
}
