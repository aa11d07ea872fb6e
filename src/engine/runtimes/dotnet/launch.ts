import type { RuntimeResolution } from '../runtime-launch.js';

/** AWS's managed .NET identifiers. */
export const DOTNET_RUNTIMES = /^dotnet(8|10)$/;

/**
 * Lambkin has no .NET runtime client, so a `dotnet8` function never starts: CreateFunction accepts
 * it (as AWS does) and every invoke fails at Init naming what is missing. Native-AOT .NET on
 * `provided.al2023` needs no host runtime and runs everywhere.
 */
export function dotnetUnavailable(runtime: string, dotnetHost: string | null): RuntimeResolution {
  const major = DOTNET_RUNTIMES.exec(runtime)?.[1] ?? '';
  const host = dotnetHost
    ? `the .NET host at ${dotnetHost} is there, but Lambkin has no .NET runtime client to run it with`
    : `no .NET host (dotnet, Microsoft's package dotnet-runtime-${major}.0; Debian has none) was found on PATH`;
  return {
    ok: false,
    reason: `the ${runtime} runtime cannot start on this Lambkin host: ${host}. Publish the function as native AOT on provided.al2023 to run it here`,
  };
}
