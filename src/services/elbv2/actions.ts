import type { QueryParams } from '../../protocols/query.js';
import { errors } from './errors.js';
import type { ActionDoc } from './model.js';
import type { ElbStore } from './store.js';

const ACTION_TYPES = ['forward', 'fixed-response', 'redirect', 'authenticate-oidc', 'authenticate-cognito'];
const SUPPORTED_ACTION_TYPES = ['forward', 'fixed-response'];

/** `Actions.member.N` / `DefaultActions.member.N` → action documents, checked like AWS does. */
export async function readActions(store: ElbStore, params: QueryParams, key: string): Promise<ActionDoc[]> {
  const raw = params.structureList(key);
  if (raw.length === 0) throw errors.missingParameter(key.charAt(0).toLowerCase() + key.slice(1));
  const actions: ActionDoc[] = [];
  for (const [i, a] of raw.entries()) {
    const type = a.get('Type');
    if (!type) throw errors.missingParameter(`${key.charAt(0).toLowerCase() + key.slice(1)}.${i + 1}.member.type`);
    if (!ACTION_TYPES.includes(type)) {
      throw errors.validation(`1 validation error detected: Value '${type}' at '${key.charAt(0).toLowerCase() + key.slice(1)}.${i + 1}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${ACTION_TYPES.join(', ')}]`);
    }
    if (!SUPPORTED_ACTION_TYPES.includes(type)) throw errors.invalidConfiguration(`Action type '${type}' is not supported by Lambkin`);
    const action: ActionDoc = { Type: type };
    const order = a.get('Order');
    if (type === 'forward') {
      const forward = a.structure('ForwardConfig');
      const groups = forward ? forward.structureList('TargetGroups') : [];
      const tgArn = a.get('TargetGroupArn') ?? (groups[0] ? groups[0].get('TargetGroupArn') : undefined);
      if (!tgArn) throw errors.validation('A target group ARN must be specified');
      if (!(await store.get('targetgroup', tgArn))) throw errors.targetGroupNotFound();
      action.TargetGroupArn = tgArn;
      action.ForwardConfig = { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }] };
    } else {
      const fixed = a.structure('FixedResponseConfig');
      const status = fixed ? fixed.get('StatusCode') : undefined;
      if (!fixed || !status) throw errors.validation('A fixed response config must be specified');
      if (!/^(2|4|5)\d\d$/.test(status)) throw errors.validation(`1 validation error detected: Value '${status}' at 'actions.${i + 1}.member.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$`);
      action.FixedResponseConfig = { StatusCode: status };
      const body = fixed.get('MessageBody');
      const contentType = fixed.get('ContentType');
      if (body !== undefined) action.FixedResponseConfig.MessageBody = body;
      if (contentType !== undefined) action.FixedResponseConfig.ContentType = contentType;
    }
    action.Order = order ? Number(order) : i + 1;
    actions.push(action);
  }
  return actions;
}

export function targetGroupsOf(actions: ActionDoc[]): string[] {
  return actions.flatMap((a) => (a.TargetGroupArn ? [a.TargetGroupArn] : []));
}
