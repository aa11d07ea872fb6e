package lambkin.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure reported the way AWS's Java runtime reports it: a handler's own exception carries its
 * class name and stack frames; a fault of the function's setup (class not found, no such method)
 * carries only a message and, where AWS gives one, an exception class name. `fatal` ends the
 * runtime after the report, so the next invoke starts a fresh environment.
 */
final class UserFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String RUNTIME_PACKAGE = "lambkin.runtime.";

    final String errorMessage;
    final String errorType;
    final String trace;
    final boolean fatal;

    UserFault(String errorMessage, String errorType, String trace, boolean fatal) {
        super(errorMessage, null, false, false);
        this.errorMessage = errorMessage;
        this.errorType = errorType;
        this.trace = trace;
        this.fatal = fatal;
    }

    static UserFault of(String message) {
        return new UserFault(message, null, null, false);
    }

    static UserFault of(Throwable t, boolean fatal) {
        return new UserFault(messageOf(t), t.getClass().getName(), trace(t), fatal);
    }

    /** The body of a setup fault: no stackTrace, as AWS's runtime leaves it out. */
    byte[] payload() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorMessage", errorMessage);
        if (errorType != null) body.put("errorType", errorType);
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    /** The log entry AWS's runtime writes for a failure: "message: type", then the printed trace. */
    String reportable() {
        if (errorType == null && trace == null) return errorMessage + "\n";
        return errorMessage + ": " + (errorType == null ? "" : errorType) + "\n" + (trace == null ? "" : trace) + "\n";
    }

    /** The body for an exception a handler threw: message, class name and frames. */
    static byte[] payloadOf(Throwable t) {
        List<Object> frames = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) frames.add(e.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorMessage", messageOf(t));
        body.put("errorType", t.getClass().getName());
        body.put("stackTrace", frames);
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    static String messageOf(Throwable t) {
        return t.getLocalizedMessage() == null ? t.getClass().getName() : t.getLocalizedMessage();
    }

    static String trace(Throwable t) {
        filter(t);
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    /** Cuts the runtime's own frames (and whatever called it) from t and its causes, as AWS does. */
    static <T extends Throwable> T filter(T t) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable cur = t; cur != null && seen.add(cur); cur = cur.getCause()) {
            StackTraceElement[] frames = cur.getStackTrace();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().startsWith(RUNTIME_PACKAGE)) {
                    cur.setStackTrace(java.util.Arrays.copyOf(frames, i));
                    break;
                }
            }
            for (Throwable s : cur.getSuppressed()) filter(s);
        }
        return t;
    }
}
