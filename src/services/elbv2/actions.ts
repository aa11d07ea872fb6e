import { obj, objList, str, type QueryParams } from '../../protocols/query-members.js';
import { errors } from './errors.js';
import type { ActionDoc } from './model.js';
import type { ElbStore } from './store.js';

const ACTION_TYPES = ['forward', 'fixed-response', 'redirect', 'authenticate-oidc', 'authenticate-cognito'];
const SUPPORTED_ACTION_TYPES = ['forward', 'fixed-response'];

/** `Actions.member.N` / `DefaultActions.member.N` → action documents, checked like AWS does. */
export async function readActions(store: ElbStore, params: QueryParams, key: string): Promise<ActionDoc[]> {
  const raw = objList(params, key);
  if (raw.length === 0) throw errors.missingParameter(key.charAt(0).toLowerCase() + key.slice(1));
  const actions: ActionDoc[] = [];
  for (const [i, a] of raw.entries()) {
    const type = str(a, 'Type');
    if (!type) throw errors.missingParameter(`${key.charAt(0).toLowerCase() + key.slice(1)}.${i + 1}.member.type`);
    if (!ACTION_TYPES.includes(type)) {
      throw errors.validation(`1 validation error detected: Value '${type}' at '${key.charAt(0).toLowerCase() + key.slice(1)}.${i + 1}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${ACTION_TYPES.join(', ')}]`);
    }
    if (!SUPPORTED_ACTION_TYPES.includes(type)) throw errors.invalidConfiguration(`Action type '${type}' is not supported by Lambkin`);
    const action: ActionDoc = { Type: type };
    const order = str(a, 'Order');
    if (type === 'forward') {
      const forward = obj(a, 'ForwardConfig');
      const groups = forward ? objList(forward, 'TargetGroups') : [];
      const tgArn = str(a, 'TargetGroupArn') ?? (groups[0] ? str(groups[0], 'TargetGroupArn') : undefined);
      if (!tgArn) throw errors.validation('A target group ARN must be specified');
      if (!(await store.get('targetgroup', tgArn))) throw errors.targetGroupNotFound();
      action.TargetGroupArn = tgArn;
      action.ForwardConfig = { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }] };
    } else {
      const fixed = obj(a, 'FixedResponseConfig');
      const status = fixed ? str(fixed, 'StatusCode') : undefined;
      if (!fixed || !status) throw errors.validation('A fixed response config must be specified');
      if (!/^(2|4|5)\d\d$/.test(status)) throw errors.validation(`1 validation error detected: Value '${status}' at 'actions.${i + 1}.member.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$`);
      action.FixedResponseConfig = { StatusCode: status };
      const body = str(fixed, 'MessageBody');
      const contentType = str(fixed, 'ContentType');
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
