package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.Context;

/** Runs the handler once: the event's bytes in, the response's bytes out. */
interface Invoker {
    byte[] invoke(byte[] event, Context context) throws Throwable;
}
