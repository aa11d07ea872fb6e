import type { RuntimeResolution } from '../runtime-launch.js';
import { runtimeScriptPath } from '../runtime-script.js';

/** AWS's Ruby identifiers; all of them run on the host's one `ruby` (Debian's 3.1 on bookworm). */
export const RUBY_RUNTIMES = /^ruby3\.[234]$/;

/** `ruby3.3` on the host's interpreter, or why it cannot run here (the invoke's Init error says it). */
export function rubyLaunch(runtime: string, ruby: string | null): RuntimeResolution {
  if (!ruby) {
    return {
      ok: false,
      reason: `the ${runtime} runtime needs a Ruby interpreter on the Lambkin host, and no ruby was found on PATH (install the Debian package ruby)`,
    };
  }
  const bootstrap = runtimeScriptPath('ruby/bootstrap.rb');
  return {
    ok: true,
    launch: { family: 'ruby', command: ruby, args: [bootstrap], executionEnv: `AWS_Lambda_${runtime}`, needs: [ruby, bootstrap] },
  };
}
