package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.IOError;
import java.lang.reflect.Field;

/**
 * Loads the handler, then answers events until the environment ends. Errors go out with AWS's
 * Java shapes and Function-Error-Type values (Runtime.BadFunctionCode for setup faults,
 * Runtime.UserException for exceptions a handler threw), and are written to the log as AWS's
 * runtime writes them.
 */
public final class RuntimeLoop {
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private RuntimeLoop() {
    }

    public static void main(String[] args) throws Exception {
        RuntimeApi api = new RuntimeApi(System.getenv("AWS_LAMBDA_RUNTIME_API"));
        FunctionLogger logger = new FunctionLogger();
        installStaticLogger(logger);
        Invoker invoker;
        try {
            invoker = HandlerLoader.load(System.getenv("_HANDLER"), Thread.currentThread().getContextClassLoader());
        } catch (UserFault fault) {
            logger.logError(fault.reportable());
            api.failInit(fault.payload(), "Runtime.BadFunctionCode");
            System.exit(1);
            return;
        }
        while (true) {
            Invocation invocation = api.next();
            if (invocation.traceId != null) System.setProperty(TRACE_PROPERTY, invocation.traceId);
            else System.clearProperty(TRACE_PROPERTY);
            logger.setRequestId(invocation.requestId);
            boolean exit = false;
            try {
                byte[] out = invoker.invoke(invocation.payload, new InvocationContext(invocation, logger));
                System.out.flush();
                api.respond(invocation.requestId, out);
                Thread.interrupted();
            } catch (UserFault fault) {
                exit = fault.fatal;
                logger.logError(fault.reportable());
                api.fail(invocation.requestId, fault.payload(), "Runtime.BadFunctionCode");
            } catch (Throwable t) {
                exit = t instanceof VirtualMachineError || t instanceof IOError;
                UserFault.filter(t);
                System.out.flush();
                logger.logError(UserFault.of(t, false).reportable());
                api.fail(invocation.requestId, UserFault.payloadOf(t), "Runtime.UserException");
            }
            if (exit) System.exit(1);
        }
    }

    /** LambdaRuntime.getLogger() returns this logger, whichever aws-lambda-java-core the function loaded. */
    private static void installStaticLogger(LambdaLogger logger) {
        try {
            Class<?> runtime = Class.forName("com.amazonaws.services.lambda.runtime.LambdaRuntime", true, Thread.currentThread().getContextClassLoader());
            Field field = runtime.getDeclaredField("logger");
            field.setAccessible(true);
            field.set(null, logger);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an aws-lambda-java-core without the field: its own default logger stays
        }
    }
}
