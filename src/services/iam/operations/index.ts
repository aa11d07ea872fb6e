import type { IamOperation } from '../deps.js';
import * as policies from './policies.js';
import * as rolePolicies from './role-policies.js';
import * as roles from './roles.js';
import * as users from './users.js';

/** Every IAM action Lambkin answers, by its query-protocol `Action` name. */
export const iamOperations: Record<string, IamOperation> = {
  CreateRole: roles.createRole,
  GetRole: roles.getRole,
  ListRoles: roles.listRoles,
  UpdateRole: roles.updateRole,
  UpdateAssumeRolePolicy: roles.updateAssumeRolePolicy,
  DeleteRole: roles.deleteRole,
  PutRolePolicy: rolePolicies.putRolePolicy,
  GetRolePolicy: rolePolicies.getRolePolicy,
  DeleteRolePolicy: rolePolicies.deleteRolePolicy,
  ListRolePolicies: rolePolicies.listRolePolicies,
  AttachRolePolicy: rolePolicies.attachRolePolicy,
  DetachRolePolicy: rolePolicies.detachRolePolicy,
  ListAttachedRolePolicies: rolePolicies.listAttachedRolePolicies,
  CreatePolicy: policies.createPolicy,
  GetPolicy: policies.getPolicy,
  DeletePolicy: policies.deletePolicy,
  ListPolicies: policies.listPolicies,
  CreatePolicyVersion: policies.createPolicyVersion,
  GetPolicyVersion: policies.getPolicyVersion,
  ListPolicyVersions: policies.listPolicyVersions,
  DeletePolicyVersion: policies.deletePolicyVersion,
  SetDefaultPolicyVersion: policies.setDefaultPolicyVersion,
  CreateUser: users.createUser,
  GetUser: users.getUser,
  ListUsers: users.listUsers,
  DeleteUser: users.deleteUser,
  PutUserPolicy: rolePolicies.putUserPolicy,
  GetUserPolicy: rolePolicies.getUserPolicy,
  DeleteUserPolicy: rolePolicies.deleteUserPolicy,
  ListUserPolicies: rolePolicies.listUserPolicies,
  AttachUserPolicy: rolePolicies.attachUserPolicy,
  DetachUserPolicy: rolePolicies.detachUserPolicy,
  ListAttachedUserPolicies: rolePolicies.listAttachedUserPolicies,
  CreateAccessKey: users.createAccessKey,
  ListAccessKeys: users.listAccessKeys,
  DeleteAccessKey: users.deleteAccessKey,
  UpdateAccessKey: users.updateAccessKey,
};
