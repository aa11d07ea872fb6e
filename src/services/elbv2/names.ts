import { errors } from './errors.js';
import { NAME_MAX_CHARS } from './limits.js';

/** Load balancer and target group names: alphanumerics and hyphens, no leading/trailing hyphen. */
export function checkName(name: string | undefined, kind: 'load balancer' | 'target group'): string {
  if (!name) throw errors.missingParameter('name');
  if (name.length > NAME_MAX_CHARS) throw errors.validation(`The ${kind} name '${name}' cannot be longer than '${NAME_MAX_CHARS}' characters`);
  if (!/^[a-zA-Z0-9-]+$/.test(name)) throw errors.validation(`The ${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw errors.validation(`The ${kind} name '${name}' cannot begin or end with a hyphen`);
  if (kind === 'load balancer' && name.startsWith('internal-')) throw errors.validation(`The load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}
