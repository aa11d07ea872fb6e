package com.amazonaws.services.lambda.runtime;

import java.util.Map;

/** The mobile client context a caller may pass with Invoke (source-compatible with aws-lambda-java-core). */
public interface ClientContext {
    Client getClient();

    Map<String, String> getCustom();

    Map<String, String> getEnvironment();
}
