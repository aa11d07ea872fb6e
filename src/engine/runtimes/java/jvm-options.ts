/**
 * The JVM flags AWS's Java runtimes start with, sized from the function's memory: heap 85 %,
 * metaspace 10 %, code cache 5 %, the serial collector, class-data sharing, and C1 only (tiered
 * compilation stopped at level 1, the default of java17 and later). The percentages are what
 * AWS's java runtimes are observed to pass (e.g. -XX:MaxHeapSize=445645k at 512 MB).
 *
 * JAVA_TOOL_OPTIONS is read by the JVM before its command line, so a flag given on both would be
 * won by ours; each default is therefore left out when the function's JAVA_TOOL_OPTIONS sets the
 * same thing, which keeps AWS's documented way of changing them (e.g. TieredStopAtLevel, the GC).
 */
const DEFAULTS: { flag: (memoryKb: number) => string; overriddenBy: RegExp }[] = [
  { flag: (kb) => `-XX:MaxHeapSize=${Math.floor(kb * 0.85)}k`, overriddenBy: /-Xmx|MaxHeapSize|MaxRAMPercentage|MaxRAMFraction/ },
  { flag: (kb) => `-XX:MaxMetaspaceSize=${Math.floor(kb * 0.1)}k`, overriddenBy: /MaxMetaspaceSize/ },
  { flag: (kb) => `-XX:ReservedCodeCacheSize=${Math.floor(kb * 0.05)}k`, overriddenBy: /ReservedCodeCacheSize/ },
  { flag: () => '-XX:+UseSerialGC', overriddenBy: /Use\w*GC\b/ },
  { flag: () => '-Xshare:auto', overriddenBy: /-Xshare/ },
  { flag: () => '-XX:+TieredCompilation', overriddenBy: /TieredCompilation|TieredStopAtLevel/ },
  { flag: () => '-XX:TieredStopAtLevel=1', overriddenBy: /TieredCompilation|TieredStopAtLevel/ },
  { flag: () => '-Djava.net.preferIPv4Stack=true', overriddenBy: /preferIPv4Stack/ },
];

export function jvmOptions(memoryMb: number, javaToolOptions: string | undefined): string[] {
  const own = javaToolOptions ?? '';
  return DEFAULTS.filter((d) => !d.overriddenBy.test(own)).map((d) => d.flag(memoryMb * 1024));
}
