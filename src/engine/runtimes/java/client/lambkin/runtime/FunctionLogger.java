package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
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
 * the message does not end with one. As AWS's runtime client does: a level below
 * AWS_LAMBDA_LOG_LEVEL is dropped (UNDEFINED, what log(String) logs at, never is); with LogFormat
 * JSON a String message becomes the record {"timestamp","message","level","AWSRequestId"}, in
 * text a leveled one is prefixed "[LEVEL] "; byte[] messages are written as they are.
 */
final class FunctionLogger implements LambdaLogger {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final boolean json = "JSON".equals(System.getenv("AWS_LAMBDA_LOG_FORMAT"));
    private final LogLevel minimum = minimumLevel(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
    private volatile String requestId;

    void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(message, LogLevel.UNDEFINED);
    }

    void logError(String message) {
        log(message, LogLevel.ERROR);
    }

    @Override
    public void log(String message, LogLevel level) {
        if (!enabled(level)) return;
        String text = String.valueOf(message);
        if (!json) {
            write((level == LogLevel.UNDEFINED ? text : "[" + level + "] " + text).getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("timestamp", TIMESTAMP.format(Instant.now()));
        record.put("message", text);
        record.put("level", level.name());
        if (requestId != null) record.put("AWSRequestId", requestId);
        write(Json.write(record).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        if (enabled(level)) write(message);
    }

    private boolean enabled(LogLevel level) {
        return level == LogLevel.UNDEFINED || level.ordinal() >= minimum.ordinal();
    }

    /** AWS_LAMBDA_LOG_LEVEL, or UNDEFINED (nothing filtered) when unset or not a level. */
    private static LogLevel minimumLevel(String value) {
        if (value == null || value.isEmpty()) return LogLevel.UNDEFINED;
        try {
            return LogLevel.fromString(value);
        } catch (IllegalArgumentException e) {
            return LogLevel.UNDEFINED;
        }
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
