package com.amazonaws.services.lambda.runtime.logging;

/**
 * Log levels, least severe first (source-compatible with aws-lambda-java-core's): UNDEFINED is
 * what LambdaLogger.log(String) logs at, and is never filtered out.
 */
public enum LogLevel {
    UNDEFINED,
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    public static LogLevel fromString(String logLevel) {
        try {
            return LogLevel.valueOf(logLevel.toUpperCase());
        } catch (Exception e) {
            throw new IllegalArgumentException("Invalid log level: '" + logLevel + "' expected one of [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]");
        }
    }
}
