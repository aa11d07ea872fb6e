import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, DeletePolicyCommand, DeletePolicyVersionCommand,
  DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListPolicyVersionsCommand,
  ListRolePoliciesCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { jsonText, num, str, strList, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

type InlinePolicy = { PolicyName: string; PolicyDocument: unknown };

async function syncRolePolicies(ctx: ProviderContext, role: string, props: Record<string, unknown>, old: Record<string, unknown>): Promise<void> {
  const inline = (props.Policies as InlinePolicy[] | undefined) ?? [];
  const oldInline = (old.Policies as InlinePolicy[] | undefined) ?? [];
  for (const p of oldInline) if (!inline.some((n) => n.PolicyName === p.PolicyName)) await ignoreNotFound(ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: p.PolicyName })));
  for (const p of inline) await ctx.clients.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: p.PolicyName, PolicyDocument: jsonText(p.PolicyDocument) }));
  const managed = strList(props.ManagedPolicyArns) ?? [];
  const oldManaged = strList(old.ManagedPolicyArns) ?? [];
  for (const arn of oldManaged) if (!managed.includes(arn)) await ignoreNotFound(ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn })));
  for (const arn of managed) if (!oldManaged.includes(arn)) await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
}

/** A role: its name is the physical id and `Ref`. */
export const iamRole: ResourceProvider = {
  replaceOn: ['RoleName', 'Path'],
  plannedId: (ctx, props) => str(props.RoleName) ?? generatedName(ctx, 64),
  async create(ctx, props, name) {
    const r = await ctx.clients.iam.send(
      new CreateRoleCommand({
        RoleName: name!,
        AssumeRolePolicyDocument: jsonText(props.AssumeRolePolicyDocument),
        Description: str(props.Description),
        MaxSessionDuration: num(props.MaxSessionDuration),
        Path: str(props.Path),
        PermissionsBoundary: str(props.PermissionsBoundary),
        Tags: tagList(props.Tags, ctx.stackTags),
      }),
    );
    await syncRolePolicies(ctx, name!, props, {});
    return { physicalId: name!, attributes: { Arn: r.Role?.Arn, RoleId: r.Role?.RoleId } };
  },
  async update(ctx, name, props, old) {
    if (jsonText(props.AssumeRolePolicyDocument) !== jsonText(old.AssumeRolePolicyDocument)) {
      await ctx.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: jsonText(props.AssumeRolePolicyDocument) }));
    }
    if (props.Description !== old.Description || props.MaxSessionDuration !== old.MaxSessionDuration) {
      await ctx.clients.iam.send(new UpdateRoleCommand({ RoleName: name, Description: str(props.Description) ?? '', MaxSessionDuration: num(props.MaxSessionDuration) }));
    }
    await syncRolePolicies(ctx, name, props, old);
    const r = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: name }));
    return { attributes: { Arn: r.Role?.Arn, RoleId: r.Role?.RoleId } };
  },
  async delete(ctx, name) {
    try {
      const inline = await ctx.clients.iam.send(new ListRolePoliciesCommand({ RoleName: name }));
      for (const p of inline.PolicyNames ?? []) await ignoreNotFound(ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: p })));
      const attached = await ctx.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
      for (const p of attached.AttachedPolicies ?? []) await ignoreNotFound(ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn })));
    } catch (err) {
      if (!/NoSuchEntity/.test((err as Error).name)) throw err;
    }
    await ignoreNotFound(ctx.clients.iam.send(new DeleteRoleCommand({ RoleName: name })));
  },
};

/** An inline policy put on each of its roles. */
export const iamPolicy: ResourceProvider = {
  replaceOn: [],
  plannedId: (ctx) => generatedName(ctx, 128).slice(0, 128),
  async create(ctx, props, id) {
    for (const role of strList(props.Roles) ?? []) {
      await ctx.clients.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: str(props.PolicyName), PolicyDocument: jsonText(props.PolicyDocument) }));
    }
    return { physicalId: id!, attributes: { Id: id } };
  },
  async update(ctx, id, props, old) {
    const roles = strList(props.Roles) ?? [];
    for (const role of strList(old.Roles) ?? []) {
      if (!roles.includes(role) || old.PolicyName !== props.PolicyName) await ignoreNotFound(ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: str(old.PolicyName) })));
    }
    await iamPolicy.create(ctx, props, id);
  },
  async delete(ctx, _id, props) {
    for (const role of strList(props.Roles) ?? []) await ignoreNotFound(ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: str(props.PolicyName) })));
  },
};

/** A customer managed policy: its ARN is the physical id and `Ref`. */
export const iamManagedPolicy: ResourceProvider = {
  replaceOn: ['ManagedPolicyName', 'Path', 'Description'],
  async create(ctx, props) {
    const p = await ctx.clients.iam.send(
      new CreatePolicyCommand({ PolicyName: str(props.ManagedPolicyName) ?? generatedName(ctx, 128), PolicyDocument: jsonText(props.PolicyDocument), Description: str(props.Description), Path: str(props.Path) }),
    );
    const arn = String(p.Policy?.Arn);
    for (const role of strList(props.Roles) ?? []) await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
    return { physicalId: arn, attributes: { PolicyArn: arn, PolicyId: p.Policy?.PolicyId } };
  },
  async update(ctx, arn, props, old) {
    if (jsonText(props.PolicyDocument) !== jsonText(old.PolicyDocument)) {
      const versions = await ctx.clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      const oldest = (versions.Versions ?? []).filter((v) => !v.IsDefaultVersion).pop();
      if ((versions.Versions ?? []).length >= 5 && oldest) await ctx.clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId }));
      await ctx.clients.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: jsonText(props.PolicyDocument), SetAsDefault: true }));
    }
    const roles = strList(props.Roles) ?? [];
    const oldRoles = strList(old.Roles) ?? [];
    for (const r of oldRoles) if (!roles.includes(r)) await ignoreNotFound(ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: r, PolicyArn: arn })));
    for (const r of roles) if (!oldRoles.includes(r)) await ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: r, PolicyArn: arn }));
  },
  async delete(ctx, arn, props) {
    for (const r of strList(props.Roles) ?? []) await ignoreNotFound(ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: r, PolicyArn: arn })));
    try {
      const versions = await ctx.clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      for (const v of versions.Versions ?? []) if (!v.IsDefaultVersion) await ctx.clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }));
    } catch (err) {
      if (!/NoSuchEntity/.test((err as Error).name)) throw err;
    }
    await ignoreNotFound(ctx.clients.iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
  },
};
