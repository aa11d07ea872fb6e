package lambkin.runtime;

/** One event as GET invocation/next hands it over. */
final class Invocation {
    final String requestId;
    final long deadlineMs;
    final String invokedFunctionArn;
    final String traceId;
    final String clientContextJson;
    final String cognitoIdentityJson;
    final byte[] payload;

    Invocation(String requestId, long deadlineMs, String invokedFunctionArn, String traceId, String clientContextJson, String cognitoIdentityJson, byte[] payload) {
        this.requestId = requestId;
        this.deadlineMs = deadlineMs;
        this.invokedFunctionArn = invokedFunctionArn;
        this.traceId = traceId;
        this.clientContextJson = clientContextJson;
        this.cognitoIdentityJson = cognitoIdentityJson;
        this.payload = payload;
    }
}
