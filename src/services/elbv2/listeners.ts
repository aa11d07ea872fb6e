import type { QueryParams } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import { readActions } from './actions.js';
import { listenerArn } from './arns.js';
import type { ElbDeps } from './deps.js';
import { errors } from './errors.js';
import type { ListenerDoc, RuleDoc, Scope } from './model.js';

export async function createListener(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const lbArn = params.get('LoadBalancerArn');
  if (!lbArn) throw errors.missingParameter('loadBalancerArn');
  const lb = await deps.store.get('loadbalancer', lbArn);
  if (!lb) throw errors.loadBalancerNotFound();
  const protocol = params.get('Protocol') ?? 'HTTP';
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') throw errors.validation(`Protocol '${protocol}' is not supported by Lambkin listeners; use 'HTTP' or 'HTTPS'`);
  const tls = protocol === 'HTTPS' ? readTls(params, true) : undefined;
  const portText = params.get('Port');
  const port = Number(portText ?? 80);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw errors.validation(`1 validation error detected: Value '${portText}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`);
  }
  const actions = await readActions(deps.store, params, 'DefaultActions');
  const siblings = await deps.store.children<ListenerDoc>('listener', lbArn);
  const same = siblings.find((l) => l.doc.Port === port);
  if (same) throw errors.duplicateListener();
  if (deps.ports.isOpen(port)) throw errors.invalidConfiguration(`Port ${port} is already used by another Lambkin load balancer listener`);
  const arn = listenerArn(lbArn);
  try {
    await deps.ports.open(arn, port, protocol);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw errors.invalidConfiguration(`Lambkin cannot listen on port ${port}: ${code}`);
  }
  const doc: ListenerDoc = { ListenerArn: arn, LoadBalancerArn: lbArn, Port: port, Protocol: protocol, ...tls, DefaultActions: actions };
  await deps.store.put('listener', scope, { arn, name: arn, parentArn: lbArn, port, doc }, deps.clock.now());
  return { Listeners: [doc as unknown as XmlValue] };
}

export async function describeListeners(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const lbArn = params.get('LoadBalancerArn');
  const arns = params.scalarList('ListenerArns');
  if (!lbArn && arns.length === 0) throw errors.validation('You must specify either listener ARNs or a load balancer ARN');
  let found;
  if (lbArn) {
    if (!(await deps.store.get('loadbalancer', lbArn))) throw errors.loadBalancerNotFound();
    found = await deps.store.children<ListenerDoc>('listener', lbArn);
  } else {
    found = (await deps.store.list<ListenerDoc>('listener', scope)).filter((l) => arns.includes(l.arn));
    if (found.length !== new Set(arns).size) throw errors.listenerNotFound();
  }
  return { Listeners: found.map((l) => l.doc as unknown as XmlValue) };
}

export async function modifyListener(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arn = params.get('ListenerArn');
  if (!arn) throw errors.missingParameter('listenerArn');
  const row = await deps.store.get<ListenerDoc>('listener', arn);
  if (!row) throw errors.listenerNotFound();
  if (params.hasUnder('DefaultActions')) row.doc.DefaultActions = await readActions(deps.store, params, 'DefaultActions');
  // Certificates and policy of an HTTPS listener may change; its protocol and port stay (they own a live port here).
  if (row.doc.Protocol === 'HTTPS' && (params.hasUnder('Certificates') || params.has('SslPolicy'))) Object.assign(row.doc, readTls(params, false, row.doc));
  await deps.store.put('listener', scope, row, deps.clock.now());
  return { Listeners: [row.doc as unknown as XmlValue] };
}

export async function deleteListener(deps: ElbDeps, _scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arn = params.get('ListenerArn');
  if (!arn) throw errors.missingParameter('listenerArn');
  if (!(await deps.store.get('listener', arn))) throw errors.listenerNotFound();
  await deleteListenerAndRules(deps, arn);
  return {};
}

export async function deleteListenerAndRules(deps: ElbDeps, arn: string): Promise<void> {
  for (const rule of await deps.store.children<RuleDoc>('rule', arn)) await deps.store.delete(rule.arn);
  await deps.store.delete(arn);
  await deps.ports.close(arn);
}

const CERTIFICATE_ARN = /^arn:aws[a-zA-Z-]*:(acm:[a-z0-9-]+:\d{12}:certificate\/|iam::\d{12}:server-certificate\/)\S+$/;
const SSL_POLICY = /^ELBSecurityPolicy-[A-Za-z0-9-]+$/;

/**
 * An HTTPS listener's certificate and security policy. ACM is absent: any well-formed ACM or IAM
 * certificate ARN is taken (and echoed), the TLS served is Lambkin's local certificate.
 */
function readTls(params: QueryParams, creating: boolean, current?: ListenerDoc): Pick<ListenerDoc, 'Certificates' | 'SslPolicy'> {
  const arns = params.list('Certificates').map((c) => c.get('CertificateArn') ?? '');
  if (creating && arns.length === 0) throw errors.validation('A certificate must be specified for HTTPS listeners');
  const bad = arns.find((a) => !CERTIFICATE_ARN.test(a));
  if (bad !== undefined) throw errors.certificateNotFound(bad);
  const policy = params.get('SslPolicy') ?? current?.SslPolicy ?? 'ELBSecurityPolicy-2016-08';
  if (!SSL_POLICY.test(policy)) throw errors.validation(`SSL policy '${policy}' not found`);
  return { Certificates: arns.length > 0 ? arns.slice(0, 1).map((CertificateArn) => ({ CertificateArn })) : current?.Certificates, SslPolicy: policy };
}
