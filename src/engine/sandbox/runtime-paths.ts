import path from 'node:path';
import type { RuntimeLaunch } from '../runtimes/catalog.js';

/** Where the function's files are, as its process sees them. */
export interface FunctionView {
  taskRoot: string;
  runtimeDir: string;
  /** The merged layers (`/opt`), or null when the function has none and nothing is mounted. */
  optDir: string | null;
  /** Lambkin's own node_modules (the managed AWS SDK for JavaScript v3), Node runtimes only. */
  runtimeNodeModules: string | null;
  /** Directories searched before the system's (e.g. the interpreter's `bin`). */
  leadingPath: string[];
  systemPath: string;
}

/** Read and unset by the Python bootstrap (`_set_sys_path`) before any function code runs. */
const PYTHON_LAYER_PATHS = '_LAMBKIN_PYTHON_LAYER_PATHS';

/**
 * Read by the Java runtime's boot class: where layers' jars are when /opt is a host path (plain
 * processes); inside the sandbox it is unset and the boot class uses AWS's /opt/java/lib.
 */
const JAVA_LAYER_LIB = '_LAMBKIN_JAVA_LAYER_LIB';

/**
 * The search-path variables of spec §3.2/§2.6 (`PATH`, `LD_LIBRARY_PATH`, `NODE_PATH`,
 * `PYTHONPATH`, Ruby's `GEM_PATH` and `RUBYLIB`) for a view; inside the sandbox these are AWS's paths verbatim.
 */
export function searchPathVariables(launch: RuntimeLaunch, view: FunctionView): Record<string, string> {
  const opt = (sub: string): string[] => (view.optDir ? [path.posix.join(view.optDir, sub)] : []);
  const vars: Record<string, string> = {
    PATH: [...view.leadingPath, view.systemPath, ...opt('bin')].filter(Boolean).join(':'),
    LD_LIBRARY_PATH: ['/lib64', '/usr/lib64', view.runtimeDir, path.posix.join(view.runtimeDir, 'lib'), view.taskRoot, path.posix.join(view.taskRoot, 'lib'), ...opt('lib')].join(':'),
  };
  const version = /(nodejs|python|ruby)(\d+(?:\.\d+)?)/.exec(launch.executionEnv ?? '');
  if (launch.family === 'nodejs') {
    const major = version?.[2] ?? '';
    vars.NODE_PATH = [
      ...opt(`nodejs/node${major}/node_modules`),
      ...opt('nodejs/node_modules'),
      ...(view.runtimeNodeModules ? [view.runtimeNodeModules] : []),
      view.runtimeDir,
      view.taskRoot,
    ].join(':');
  }
  if (launch.family === 'python') {
    const minor = version?.[2] ?? '3';
    vars.PYTHONPATH = view.runtimeDir;
    // AWS's runtime puts the layers on sys.path itself, ahead of PYTHONPATH; Lambkin's bootstrap
    // reads (and removes) this private variable to do the same, where /opt is a host path too.
    const layers = [...opt(`python/lib/python${minor}/site-packages`), ...opt('python')];
    if (layers.length > 0) vars[PYTHON_LAYER_PATHS] = layers.join(':');
  }
  if (launch.family === 'ruby') {
    // AWS's layout for the identifier's version (`vendor/bundle/ruby/3.3.0`, a layer's
    // `ruby/gems/3.3.0`). The trailing separator keeps RubyGems' default path after them, so the
    // host's own gems (Debian's ruby-aws-sdk-*) load too, as the SDK does on AWS.
    const gems = `${version?.[2] ?? '3.3'}.0`;
    vars.GEM_PATH = `${[path.posix.join(view.taskRoot, 'vendor/bundle/ruby', gems), ...opt(`ruby/gems/${gems}`)].join(':')}:`;
    vars.RUBYLIB = [view.taskRoot, path.posix.join(view.runtimeDir, 'lib'), ...opt('ruby/lib')].join(':');
  }
  if (launch.family === 'java' && view.optDir && view.optDir !== '/opt') vars[JAVA_LAYER_LIB] = path.posix.join(view.optDir, 'java', 'lib');
  return vars;
}
