package com.amazonaws.services.lambda.runtime.events;

import java.util.List;
import java.util.Map;

/** The methods Lombok's @Data generates on the real class (a boolean isX field: isX() and setX()). */
public class APIGatewayV2HTTPEvent {
    private String version;
    private String routeKey;
    private String rawPath;
    private String rawQueryString;
    private List<String> cookies;
    private Map<String, String> headers;
    private Map<String, String> queryStringParameters;
    private String body;
    private boolean isBase64Encoded;
    private RequestContext requestContext;

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getRouteKey() { return routeKey; }
    public void setRouteKey(String routeKey) { this.routeKey = routeKey; }
    public String getRawPath() { return rawPath; }
    public void setRawPath(String rawPath) { this.rawPath = rawPath; }
    public String getRawQueryString() { return rawQueryString; }
    public void setRawQueryString(String rawQueryString) { this.rawQueryString = rawQueryString; }
    public List<String> getCookies() { return cookies; }
    public void setCookies(List<String> cookies) { this.cookies = cookies; }
    public Map<String, String> getHeaders() { return headers; }
    public void setHeaders(Map<String, String> headers) { this.headers = headers; }
    public Map<String, String> getQueryStringParameters() { return queryStringParameters; }
    public void setQueryStringParameters(Map<String, String> queryStringParameters) { this.queryStringParameters = queryStringParameters; }
    public String getBody() { return body; }
    public void setBody(String body) { this.body = body; }
    public boolean isBase64Encoded() { return isBase64Encoded; }
    public void setBase64Encoded(boolean isBase64Encoded) { this.isBase64Encoded = isBase64Encoded; }
    public RequestContext getRequestContext() { return requestContext; }
    public void setRequestContext(RequestContext requestContext) { this.requestContext = requestContext; }

    public static class RequestContext {
        private String routeKey;
        private String accountId;
        private String stage;
        private String apiId;
        private String domainName;
        private String time;
        private long timeEpoch;
        private Http http;
        private String requestId;

        public String getRouteKey() { return routeKey; }
        public void setRouteKey(String routeKey) { this.routeKey = routeKey; }
        public String getAccountId() { return accountId; }
        public void setAccountId(String accountId) { this.accountId = accountId; }
        public String getStage() { return stage; }
        public void setStage(String stage) { this.stage = stage; }
        public String getApiId() { return apiId; }
        public void setApiId(String apiId) { this.apiId = apiId; }
        public String getDomainName() { return domainName; }
        public void setDomainName(String domainName) { this.domainName = domainName; }
        public String getTime() { return time; }
        public void setTime(String time) { this.time = time; }
        public long getTimeEpoch() { return timeEpoch; }
        public void setTimeEpoch(long timeEpoch) { this.timeEpoch = timeEpoch; }
        public Http getHttp() { return http; }
        public void setHttp(Http http) { this.http = http; }
        public String getRequestId() { return requestId; }
        public void setRequestId(String requestId) { this.requestId = requestId; }

        public static class Http {
            private String method;
            private String path;
            private String protocol;
            private String sourceIp;
            private String userAgent;

            public String getMethod() { return method; }
            public void setMethod(String method) { this.method = method; }
            public String getPath() { return path; }
            public void setPath(String path) { this.path = path; }
            public String getProtocol() { return protocol; }
            public void setProtocol(String protocol) { this.protocol = protocol; }
            public String getSourceIp() { return sourceIp; }
            public void setSourceIp(String sourceIp) { this.sourceIp = sourceIp; }
            public String getUserAgent() { return userAgent; }
            public void setUserAgent(String userAgent) { this.userAgent = userAgent; }
        }
    }
}
