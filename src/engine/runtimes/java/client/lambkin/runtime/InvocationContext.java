package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Context a handler receives, from the invocation's headers and the environment (spec §3.2). */
final class InvocationContext implements Context {
    private static final String FUNCTION_NAME = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    private static final String FUNCTION_VERSION = System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
    private static final String LOG_GROUP = System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
    private static final String LOG_STREAM = System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
    private static final int MEMORY_MB = parseIntOr(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 128);

    private final Invocation invocation;
    private final LambdaLogger logger;
    private final CognitoIdentity identity;
    private final ClientContext clientContext;

    InvocationContext(Invocation invocation, LambdaLogger logger) {
        this.invocation = invocation;
        this.logger = logger;
        this.identity = identity(invocation.cognitoIdentityJson);
        this.clientContext = clientContext(invocation.clientContextJson);
    }

    public String getAwsRequestId() { return invocation.requestId; }
    public String getLogGroupName() { return LOG_GROUP; }
    public String getLogStreamName() { return LOG_STREAM; }
    public String getFunctionName() { return FUNCTION_NAME; }
    public String getFunctionVersion() { return FUNCTION_VERSION; }
    public String getInvokedFunctionArn() { return invocation.invokedFunctionArn; }
    public CognitoIdentity getIdentity() { return identity; }
    public ClientContext getClientContext() { return clientContext; }
    public int getMemoryLimitInMB() { return MEMORY_MB; }
    public LambdaLogger getLogger() { return logger; }
    public String getXrayTraceId() { return invocation.traceId; }

    public int getRemainingTimeInMillis() {
        long left = invocation.deadlineMs - System.currentTimeMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        if (json == null || json.isEmpty()) return null;
        try {
            Object parsed = Json.parse(json);
            return parsed instanceof Map ? (Map<String, Object>) parsed : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(Map<String, Object> map, String... names) {
        if (map == null) return null;
        for (String name : names) {
            Object v = map.get(name);
            if (v != null) return v.toString();
        }
        return null;
    }

    private static CognitoIdentity identity(String json) {
        Map<String, Object> map = object(json);
        if (map == null) return null;
        String id = text(map, "cognitoIdentityId", "identityId");
        String pool = text(map, "cognitoIdentityPoolId", "identityPoolId");
        return new CognitoIdentity() {
            public String getIdentityId() { return id; }
            public String getIdentityPoolId() { return pool; }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object value) {
        if (!(value instanceof Map)) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) out.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString());
        return out;
    }

    @SuppressWarnings("unchecked")
    private static ClientContext clientContext(String json) {
        Map<String, Object> map = object(json);
        if (map == null) return null;
        Map<String, Object> c = map.get("client") instanceof Map ? (Map<String, Object>) map.get("client") : null;
        Client client = c == null ? null : new Client() {
            public String getInstallationId() { return text(c, "installation_id", "installationId"); }
            public String getAppTitle() { return text(c, "app_title", "appTitle"); }
            public String getAppVersionName() { return text(c, "app_version_name", "appVersionName"); }
            public String getAppVersionCode() { return text(c, "app_version_code", "appVersionCode"); }
            public String getAppPackageName() { return text(c, "app_package_name", "appPackageName"); }
        };
        Map<String, String> custom = strings(map.get("custom"));
        Map<String, String> env = strings(map.get("env"));
        return new ClientContext() {
            public Client getClient() { return client; }
            public Map<String, String> getCustom() { return custom; }
            public Map<String, String> getEnvironment() { return env; }
        };
    }
}
