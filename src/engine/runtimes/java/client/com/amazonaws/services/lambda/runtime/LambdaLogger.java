package com.amazonaws.services.lambda.runtime;

/** Writes to the function's log (source-compatible with aws-lambda-java-core). */
public interface LambdaLogger {
    void log(String message);

    void log(byte[] message);
}
