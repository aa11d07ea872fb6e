import { randomBytes } from 'node:crypto';
import type { Scope } from './model.js';

const hex16 = () => randomBytes(8).toString('hex');
const prefix = (scope: Scope) => `arn:aws:elasticloadbalancing:${scope.region}:${scope.accountId}`;

export function loadBalancerArn(scope: Scope, name: string): string {
  return `${prefix(scope)}:loadbalancer/app/${name}/${hex16()}`;
}

export function targetGroupArn(scope: Scope, name: string): string {
  return `${prefix(scope)}:targetgroup/${name}/${hex16()}`;
}

/** `…:listener/app/<lb-name>/<lb-id>/<id>` from the load balancer's ARN. */
export function listenerArn(lbArn: string): string {
  return `${lbArn.replace(':loadbalancer/', ':listener/')}/${hex16()}`;
}

export function ruleArn(listener: string): string {
  return `${listener.replace(':listener/', ':listener-rule/')}/${hex16()}`;
}

/** The account and region of an ELBv2 ARN, for lookups that must stay in the caller's scope. */
export function scopeOfArn(arn: string): Scope | null {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[2] === 'elasticloadbalancing' ? { region: parts[3]!, accountId: parts[4]! } : null;
}
