package lambkin.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * `_HANDLER` → something to call, as AWS's Java runtime resolves it: `pkg.Class::method` picks the
 * best public overload; `pkg.Class` must implement RequestStreamHandler or RequestHandler. Setup
 * faults follow AWS's split: a missing class or method fails every invoke (non-fatal), a class
 * whose loading or constructor throws fails Init.
 */
final class HandlerLoader {
    private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.UTF_8);

    private HandlerLoader() {
    }

    /** @throws UserFault fatal: an Init error */
    static Invoker load(String handler, ClassLoader loader) {
        int colon = handler == null ? -1 : handler.lastIndexOf("::");
        String className = colon < 0 ? handler : handler.substring(0, colon);
        String methodName = colon < 0 ? null : handler.substring(colon + 2);
        if (className == null || className.isEmpty() || (methodName != null && methodName.isEmpty())) {
            return failing(UserFault.of("Invalid handler: `" + handler + "'"));
        }
        Class<?> clazz;
        try {
            clazz = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            return failing(new UserFault("Class not found: " + className, e.getClass().getName(), UserFault.trace(e), false));
        } catch (NoClassDefFoundError e) {
            return failing(loadingFault(className, e));
        } catch (UnsupportedClassVersionError e) {
            throw new UserFault("Error loading class " + className + ": " + ClassVersions.explain(e), e.getClass().getName(), UserFault.trace(e), true);
        } catch (Throwable t) {
            throw loadingFault(className, t);
        }
        Invoker invoker = methodName == null ? forInterface(clazz) : forMethod(clazz, methodName);
        return invoker;
    }

    private static UserFault loadingFault(String className, Throwable e) {
        return new UserFault("Error loading class " + className + (e.getMessage() == null ? "" : ": " + e.getMessage()), e.getClass().getName(), UserFault.trace(e), true);
    }

    private static Invoker failing(UserFault fault) {
        return (event, context) -> {
            throw fault;
        };
    }

    private static Invoker forInterface(Class<?> clazz) {
        if (RequestStreamHandler.class.isAssignableFrom(clazz)) {
            RequestStreamHandler instance = (RequestStreamHandler) instantiate(clazz);
            if (instance == null) return noConstructor(clazz);
            return (event, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                instance.handleRequest(new ByteArrayInputStream(event), out, context);
                return out.toByteArray();
            };
        }
        if (RequestHandler.class.isAssignableFrom(clazz)) {
            Type[] types = requestHandlerTypes(clazz);
            if (types == null) {
                return failing(UserFault.of("Class " + clazz.getName() + " does not implement RequestHandler with concrete type parameters"));
            }
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> instance = (RequestHandler<Object, Object>) instantiate(clazz);
            if (instance == null) return noConstructor(clazz);
            return pojo(types[0], types[1], (input, context) -> instance.handleRequest(input, context));
        }
        return failing(UserFault.of("Class does not implement an appropriate handler interface: " + clazz.getName()));
    }

    /** The handler object; null when it has no public no-argument constructor. A throwing constructor fails Init. */
    private static Object instantiate(Class<?> clazz) {
        Constructor<?> constructor;
        try {
            constructor = clazz.getConstructor();
        } catch (NoSuchMethodException e) {
            return null;
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw UserFault.of(e.getCause() == null ? e : e.getCause(), true);
        } catch (ReflectiveOperationException e) {
            throw UserFault.of(e, true);
        }
    }

    private static Invoker noConstructor(Class<?> clazz) {
        String message = clazz.getEnclosingClass() != null && !Modifier.isStatic(clazz.getModifiers())
                ? "Class " + clazz.getName() + " cannot be instantiated because it is a non-static inner class"
                : "Class " + clazz.getName() + " has no public zero-argument constructor";
        return failing(UserFault.of(new Exception(message), false));
    }

    /** RequestHandler's I and O as the class (or a superclass or interface) binds them; null when left open. */
    private static Type[] requestHandlerTypes(Class<?> clazz) {
        Deque<Type> queue = new ArrayDeque<>();
        queue.add(clazz);
        while (!queue.isEmpty()) {
            Type type = queue.poll();
            Class<?> raw = JsonMapper.rawClass(type);
            if (type instanceof ParameterizedType && raw == RequestHandler.class) {
                Type[] args = ((ParameterizedType) type).getActualTypeArguments();
                for (Type arg : args) {
                    if (arg instanceof TypeVariable && JsonMapper.rawClass(arg) == Object.class) return null;
                }
                return args;
            }
            for (Type i : raw.getGenericInterfaces()) queue.add(i);
            if (raw.getGenericSuperclass() != null) queue.add(raw.getGenericSuperclass());
        }
        return null;
    }

    private interface PojoCall {
        Object call(Object input, Context context) throws Throwable;
    }

    /** JSON in, JSON out around a call; AWS's messages when either side cannot be converted. */
    private static Invoker pojo(Type inputType, Type outputType, PojoCall call) {
        boolean voidOut = outputType == null || outputType == void.class || outputType == Void.class;
        return (event, context) -> {
            Object input = null;
            if (inputType != null) {
                try {
                    input = JsonMapper.toType(Json.parse(new String(event, StandardCharsets.UTF_8)), inputType);
                } catch (Throwable t) {
                    throw new RuntimeException("An error occurred during JSON parsing", UserFault.filter(t));
                }
            }
            Object output = call.call(input, context);
            if (voidOut) return JSON_NULL;
            try {
                return Json.write(JsonMapper.toPlain(output)).getBytes(StandardCharsets.UTF_8);
            } catch (Throwable t) {
                throw new RuntimeException("An error occurred during JSON serialization of response", t);
            }
        };
    }

    /** AWS's order: non-bridge first, then longer signatures, a trailing Context counting one more. */
    private static final Comparator<Method> PRIORITY = Comparator
            .comparing((Method m) -> m.isBridge())
            .thenComparing((Method m) -> -(m.getParameterCount() + (lastIsContext(m) ? 1 : 0)));

    private static boolean lastIsContext(Method m) {
        Class<?>[] p = m.getParameterTypes();
        return p.length > 0 && p[p.length - 1] == Context.class;
    }

    private static Invoker forMethod(Class<?> clazz, String name) {
        List<Method> candidates = new ArrayList<>();
        for (Method m : clazz.getMethods()) if (m.getName().equals(name)) candidates.add(m);
        candidates.sort(PRIORITY);
        for (Method m : candidates) {
            Invoker invoker = forOverload(clazz, m);
            if (invoker != null) return invoker;
        }
        return failing(UserFault.of("No public method named " + name + " with appropriate method signature found on class " + clazz.getName()));
    }

    /** One overload as an invoker, or null when its parameters are not a shape Lambda calls. */
    private static Invoker forOverload(Class<?> clazz, Method m) {
        Class<?>[] p = m.getParameterTypes();
        Type[] generic = m.getGenericParameterTypes();
        boolean in = p.length > 0 && p[0] == InputStream.class;
        boolean out = (p.length > 0 && p[0] == OutputStream.class) || (p.length > 1 && p[1] == OutputStream.class);
        boolean ctx = lastIsContext(m);
        int used = (in ? 1 : 0) + (out ? 1 : 0) + (ctx ? 1 : 0);
        boolean stream = in || out;
        if (stream) {
            if (used != p.length || (out && p[0] != OutputStream.class && !(in && p[1] == OutputStream.class))) return null;
        } else if (p.length > 2 || (p.length == 2 && !ctx) || (p.length == 2 && p[0] == Context.class)) {
            return null;
        }
        Object instance;
        if (Modifier.isStatic(m.getModifiers())) instance = null;
        else {
            instance = instantiate(clazz);
            if (instance == null) return noConstructor(clazz);
        }
        if (stream) {
            return (event, context) -> {
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                Object[] args = new Object[p.length];
                int i = 0;
                if (in) args[i++] = new ByteArrayInputStream(event);
                if (out) args[i++] = output;
                if (ctx) args[i] = context;
                call(m, instance, args);
                return output.toByteArray();
            };
        }
        Type inputType = p.length == 0 || (p.length == 1 && ctx) ? null : generic[0];
        return pojo(inputType, m.getGenericReturnType(), (input, context) -> {
            Object[] args = new Object[p.length];
            int i = 0;
            if (inputType != null) args[i++] = input;
            if (ctx) args[i] = context;
            return call(m, instance, args);
        });
    }

    private static Object call(Method m, Object instance, Object[] args) throws Throwable {
        try {
            return m.invoke(instance, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }
}
