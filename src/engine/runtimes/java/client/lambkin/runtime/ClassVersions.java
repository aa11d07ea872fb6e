package lambkin.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Says which Java a too-new class file needs and which Java this host runs. */
final class ClassVersions {
    private static final Pattern VERSION = Pattern.compile("class file version (\\d+)\\.\\d+");

    private ClassVersions() {
    }

    /** Class file major version N is Java N − 44 (61 = Java 17, 65 = Java 21, 69 = Java 25). */
    static String explain(UnsupportedClassVersionError e) {
        int host = Runtime.version().feature();
        Matcher m = VERSION.matcher(String.valueOf(e.getMessage()));
        String name = String.valueOf(e.getMessage()).split(" ")[0].replace('/', '.');
        if (!m.find()) return e.getMessage() + "; this host runs Java " + host;
        int major = Integer.parseInt(m.group(1));
        return name + " is class file version " + major + ".0 (Java " + (major - 44) + "); this host runs Java " + host
                + " (class file versions up to " + (host + 44) + ".0). Install a JDK " + (major - 44)
                + " on the Lambkin host or compile the function with --release " + host;
    }
}
