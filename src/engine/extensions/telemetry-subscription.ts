import { TELEMETRY_MAX_BYTES, TELEMETRY_MAX_ITEMS, TELEMETRY_TIMEOUT_MS } from '../limits.js';

export interface Subscription {
  types: string[];
  buffering: { maxItems: number; maxBytes: number; timeoutMs: number };
  destination: { protocol: 'HTTP' | 'TCP'; host: string; port: number; path: string };
}

/** A refused subscription: 400 with this message. */
export class TelemetryValidationError extends Error {}

const SCHEMA_VERSIONS = ['2022-07-01', '2022-12-13', '2025-01-29'];
const TYPES = ['platform', 'function', 'extension'];
/**
 * The listener runs inside the environment, which shares the host's network: `sandbox.localdomain`
 * (AWS's name for it) is the loopback interface. Nothing else may be named, so a function cannot
 * make the server send requests elsewhere.
 */
const LOCAL_HOSTS = new Set(['sandbox.localdomain', 'localhost', '127.0.0.1']);

/** Validates a Telemetry API (2022-07-01) or Logs API (2020-08-15) subscription body (spec §3.5). */
export function parseSubscription(body: unknown, api: 'telemetry' | 'logs'): Subscription {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new TelemetryValidationError('The request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (api === 'telemetry' && !SCHEMA_VERSIONS.includes(String(b.schemaVersion))) {
    throw new TelemetryValidationError(`schemaVersion must be one of ${SCHEMA_VERSIONS.join(', ')}`);
  }
  if (!Array.isArray(b.types) || b.types.length === 0 || !b.types.every((t) => TYPES.includes(t as string))) {
    throw new TelemetryValidationError(`types must be a non-empty list of ${TYPES.join(', ')}`);
  }
  const buffering = b.buffering ?? {};
  if (typeof buffering !== 'object' || buffering === null) throw new TelemetryValidationError('buffering must be an object');
  const bf = buffering as Record<string, unknown>;
  return {
    types: [...new Set(b.types as string[])],
    buffering: {
      maxItems: bounded(bf.maxItems, 'maxItems', TELEMETRY_MAX_ITEMS),
      maxBytes: bounded(bf.maxBytes, 'maxBytes', TELEMETRY_MAX_BYTES),
      timeoutMs: bounded(bf.timeoutMs, 'timeoutMs', TELEMETRY_TIMEOUT_MS),
    },
    destination: parseDestination(b.destination),
  };
}

function bounded(value: unknown, name: string, range: { min: number; max: number; default: number }): number {
  if (value === undefined) return range.default;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new TelemetryValidationError(`buffering.${name} must be an integer between ${range.min} and ${range.max}`);
  }
  return value;
}

function parseDestination(value: unknown): Subscription['destination'] {
  if (!value || typeof value !== 'object') throw new TelemetryValidationError('destination is required');
  const d = value as Record<string, unknown>;
  if (d.protocol !== 'HTTP' && d.protocol !== 'TCP') throw new TelemetryValidationError('destination.protocol must be HTTP or TCP');
  if (typeof d.URI !== 'string' || d.URI === '') throw new TelemetryValidationError('destination.URI is required');
  let url: URL;
  try {
    // TCP destinations may be written without a scheme (`sandbox.localdomain:4243`).
    url = new URL(d.protocol === 'TCP' && !d.URI.includes('://') ? `tcp://${d.URI}` : d.URI);
  } catch {
    throw new TelemetryValidationError(`destination.URI is not a valid URI: ${d.URI}`);
  }
  if (d.protocol === 'HTTP' && url.protocol !== 'http:') throw new TelemetryValidationError('destination.URI must be an http:// URI');
  if (!LOCAL_HOSTS.has(url.hostname)) throw new TelemetryValidationError('destination.URI must name sandbox.localdomain');
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TelemetryValidationError('destination.URI must include a port');
  return { protocol: d.protocol, host: '127.0.0.1', port, path: `${url.pathname || '/'}${url.search}` };
}
