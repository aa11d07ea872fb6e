package com.amazonaws.services.lambda.runtime;

/**
 * A handler whose input and output the runtime converts from and to JSON by their declared types
 * (source-compatible with aws-lambda-java-core).
 */
public interface RequestHandler<I, O> {
    O handleRequest(I input, Context context);
}
