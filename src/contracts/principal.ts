/**
 * Who signed a request, as IAM sees it. `account` is an account's own key (the well-known local
 * pair, a configured key, `lambkin credentials create`): unrestricted within its account, as the
 * root user is on AWS. The others are held to IAM policies.
 */
export type Principal =
  | { kind: 'account'; accountId: string; arn: string; userId: string }
  | { kind: 'user'; accountId: string; arn: string; userId: string; userName: string }
  | {
      kind: 'role-session';
      accountId: string;
      /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
      arn: string;
      /** `<role id>:<session name>` */
      userId: string;
      roleArn: string;
      roleName: string;
      roleId: string;
      sessionName: string;
      /**
       * False for a function whose execution role Lambkin's IAM does not know: it keeps full access
       * to its own account (the behaviour before IAM existed), never to another account's resources.
       */
      managed: boolean;
    };

export function accountPrincipal(accountId: string): Principal {
  return { kind: 'account', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}
