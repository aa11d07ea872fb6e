package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * context.getLogger(): each call is one entry of the function's log. AWS frames every call as its
 * own CloudWatch event; over a plain stdout pipe the same separation needs a line break, added when
 * the message does not end with one. With LogFormat JSON a String message becomes AWS's Java
 * record {"timestamp","message","level","AWSRequestId"} (level UNDEFINED for log(String), ERROR
 * for the runtime's own error reports); byte[] messages are written as they are, as AWS does.
 */
final class FunctionLogger implements LambdaLogger {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final boolean json = "JSON".equals(System.getenv("AWS_LAMBDA_LOG_FORMAT"));
    private volatile String requestId;

    void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    @Override
    public void log(String message) {
        log(String.valueOf(message), "UNDEFINED");
    }

    void logError(String message) {
        log(message, "ERROR");
    }

    private void log(String message, String level) {
        if (!json) {
            write(message.getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("timestamp", TIMESTAMP.format(Instant.now()));
        record.put("message", message);
        record.put("level", level);
        if (requestId != null) record.put("AWSRequestId", requestId);
        write(Json.write(record).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void log(byte[] message) {
        write(message);
    }

    private synchronized void write(byte[] message) {
        System.out.flush();
        try {
            out.write(message);
            if (message.length == 0 || message[message.length - 1] != '\n') out.write('\n');
            out.flush();
        } catch (IOException e) {
            // the log pipe is gone: nothing left to tell
        }
    }
}
