package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * context.getLogger(): each call is one entry of the function's log. AWS frames every call as its
 * own CloudWatch event; over a plain stdout pipe the same separation needs a line break, added when
 * the message does not end with one.
 */
final class FunctionLogger implements LambdaLogger {
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public void log(String message) {
        log(String.valueOf(message).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void log(byte[] message) {
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
