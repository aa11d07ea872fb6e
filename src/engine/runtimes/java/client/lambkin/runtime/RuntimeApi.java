package lambkin.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * The Runtime API (2018-06-01) over HttpURLConnection: it keeps the connection alive between calls
 * and starts no threads, which java.net.http's client would, at a cost on every cold start.
 */
final class RuntimeApi {
    private final String base;

    RuntimeApi(String address) {
        this.base = "http://" + address + "/2018-06-01/runtime/";
    }

    /** Blocks until the next event (the long poll never times out). */
    Invocation next() throws IOException {
        HttpURLConnection conn = open("invocation/next", "GET");
        conn.setReadTimeout(0);
        int status = conn.getResponseCode();
        byte[] body = readAll(status < 400 ? conn.getInputStream() : conn.getErrorStream());
        if (status != 200) throw new IOException("GET invocation/next returned " + status + ": " + new String(body, StandardCharsets.UTF_8));
        String deadline = conn.getHeaderField("Lambda-Runtime-Deadline-Ms");
        return new Invocation(
                conn.getHeaderField("Lambda-Runtime-Aws-Request-Id"),
                deadline == null ? Long.MAX_VALUE : Long.parseLong(deadline),
                conn.getHeaderField("Lambda-Runtime-Invoked-Function-Arn"),
                conn.getHeaderField("Lambda-Runtime-Trace-Id"),
                conn.getHeaderField("Lambda-Runtime-Client-Context"),
                conn.getHeaderField("Lambda-Runtime-Cognito-Identity"),
                body);
    }

    void respond(String requestId, byte[] payload) throws IOException {
        post("invocation/" + requestId + "/response", payload, null);
    }

    void fail(String requestId, byte[] errorJson, String errorType) throws IOException {
        post("invocation/" + requestId + "/error", errorJson, errorType);
    }

    void failInit(byte[] errorJson, String errorType) throws IOException {
        post("init/error", errorJson, errorType);
    }

    private void post(String path, byte[] body, String errorType) throws IOException {
        HttpURLConnection conn = open(path, "POST");
        conn.setDoOutput(true);
        conn.setFixedLengthStreamingMode(body.length);
        if (errorType != null) conn.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        try (OutputStream out = conn.getOutputStream()) {
            out.write(body);
        }
        int status = conn.getResponseCode();
        InputStream in = status < 400 ? conn.getInputStream() : conn.getErrorStream();
        if (in != null) readAll(in);
    }

    private HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) new URL(base + path).openConnection();
        conn.setRequestMethod(method);
        conn.setUseCaches(false);
        return conn;
    }

    /** Reading to the end lets HttpURLConnection reuse the socket for the next call. */
    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) return new byte[0];
        try (InputStream stream = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = stream.read(buf)) > 0) out.write(buf, 0, n);
            return out.toByteArray();
        }
    }
}
