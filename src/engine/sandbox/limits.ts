/** Sandbox limits (spec §3.3) and the conventions behind them. */
import { FUNCTION_NAMESPACE_ADDRESS } from '../../contracts/function-traffic.js';

/** Lambda gives one full vCPU at 1,769 MB; CPU is proportional to memory below and above. */
export const MB_PER_VCPU = 1769;
/** CFS period the CPU quota is expressed in. */
export const CGROUP_CPU_PERIOD_US = 100_000;
/** Processes and threads one environment may have at once. */
export const CGROUP_PIDS_MAX = 1024;
/** `/tmp` size when a function has no EphemeralStorage setting (AWS's default). */
export const EPHEMERAL_STORAGE_DEFAULT_MB = 512;

/** Where the Runtime API is inside an environment, as on AWS (`AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001`). */
export const RUNTIME_API_PORT = 9001;
/** The environment's address in its own network namespace; private, so the host's addresses are outside it. */
export const NAMESPACE_ADDRESS = FUNCTION_NAMESPACE_ADDRESS;
export const NAMESPACE_PREFIX_LENGTH = 24;
export const NAMESPACE_GATEWAY = '10.0.2.2';
/**
 * The resolver an environment's /etc/resolv.conf names: pasta forwards its DNS queries to the
 * host's first resolver from the host side, so a loopback one (systemd-resolved's 127.0.0.53)
 * answers too, as the VPC resolver does on AWS.
 */
export const NAMESPACE_DNS = '10.0.2.3';
/** pasta sets a namespace up in tens of milliseconds; past this the environment fails to start. */
export const NETWORK_SETUP_TIMEOUT_MS = 10_000;
