package lambkin.runtime.boot;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM's entry point (the jar's Main-Class). It builds the function's class loader — the task
 * root, its lib/*.jar, the layers' java/lib/*.jar (each folder sorted by name, as AWS does), then
 * the runtime client with its aws-lambda-java-core interfaces, which live under client/ in this
 * same jar — and starts the client there. The client's interfaces come last, so a function that
 * bundles the real aws-lambda-java-core gets its own, and the client links against whichever
 * Context and RequestHandler the function sees.
 */
public final class Boot {
    private Boot() {
    }

    public static void main(String[] args) throws Throwable {
        String taskRoot = envOr("LAMBDA_TASK_ROOT", "/var/task");
        // Plain processes see layers at a host path; AWS's (and the sandbox's) is /opt/java/lib.
        String layerLib = envOr("_LAMBKIN_JAVA_LAYER_LIB", "/opt/java/lib");
        List<URL> urls = new ArrayList<>();
        urls.add(new File(taskRoot).toURI().toURL());
        addJars(new File(taskRoot, "lib"), urls);
        addJars(new File(layerLib), urls);
        URL self = Boot.class.getProtectionDomain().getCodeSource().getLocation();
        urls.add(new URL("jar:" + self + "!/client/"));
        // Unnamed, so stack frames print as AWS's do ("pkg.Class.method(File.java:12)").
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class.forName("lambkin.runtime.RuntimeLoop", true, loader).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void addJars(File dir, List<URL> urls) throws Exception {
        String[] names = dir.list((d, name) -> name.endsWith(".jar"));
        if (names == null) return;
        Arrays.sort(names);
        for (String name : names) urls.add(new File(dir, name).toURI().toURL());
    }
}
