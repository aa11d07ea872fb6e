package com.amazonaws.services.lambda.runtime;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/** Writes to the function's log (source-compatible with aws-lambda-java-core). */
public interface LambdaLogger {
    void log(String message);

    void log(byte[] message);

    /** A message at a level: dropped below AWS_LAMBDA_LOG_LEVEL by the runtime's logger. */
    default void log(String message, LogLevel logLevel) {
        log(message);
    }

    default void log(byte[] message, LogLevel logLevel) {
        log(message);
    }
}
