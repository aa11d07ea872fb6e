package com.amazonaws.services.lambda.runtime;

/**
 * The function's logger outside a handler call (source-compatible with aws-lambda-java-core). The
 * runtime sets {@code logger} by reflection before loading the handler, as the real one expects.
 */
public final class LambdaRuntime {
    private LambdaRuntime() {
    }

    private static volatile LambdaLogger logger = new LambdaLogger() {
        public void log(String message) {
            System.out.print(message);
        }

        public void log(byte[] message) {
            System.out.write(message, 0, message.length);
        }
    };

    public static LambdaLogger getLogger() {
        return logger;
    }
}
