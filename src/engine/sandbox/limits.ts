/** Sandbox limits (spec §3.3) and the conventions behind them. */

/** Lambda gives one full vCPU at 1,769 MB; CPU is proportional to memory below and above. */
export const MB_PER_VCPU = 1769;
/** CFS period the CPU quota is expressed in. */
export const CGROUP_CPU_PERIOD_US = 100_000;
/** Processes and threads one environment may have at once. */
export const CGROUP_PIDS_MAX = 1024;
/** `/tmp` size when a function has no EphemeralStorage setting (AWS's default). */
export const EPHEMERAL_STORAGE_DEFAULT_MB = 512;
