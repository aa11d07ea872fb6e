/**
 * Where Lambkin's SAM transform deliberately differs from samtranslator on the fixture corpus.
 * Each entry names a fixture and a dotted path into the translated template (or `$error`); the
 * comparison checks Lambkin's value there (`lambkin`, when given) and leaves that path out of
 * the comparison with samtranslator. The README's "SAM templates" section lists the same.
 */
export interface IntendedDifference {
  fixture: string;
  /** A dotted path into the output (`Resources.FnRole.Properties.ManagedPolicyArns`), or `$error`. */
  path: string;
  reason: string;
  /** What Lambkin writes there (for `$error`, a substring of its error message). */
  lambkin?: unknown;
}

const SCHEDULE_V2 = 'ScheduleV2 events become an EventBridge rule: Lambkin has no EventBridge Scheduler (AWS::Scheduler::Schedule)';

export const INTENDED_DIFFERENCES: readonly IntendedDifference[] = [
  {
    fixture: 'events-schedule-v2',
    path: 'Resources.FnEvery',
    reason: SCHEDULE_V2,
    lambkin: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Id: 'FnEveryLambdaTarget', Input: '{}' }],
      },
    },
  },
  {
    fixture: 'events-schedule-v2',
    path: 'Resources.FnEveryPermission',
    reason: `${SCHEDULE_V2}, which invokes the function through a resource-based permission`,
    lambkin: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'Fn' }, Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['FnEvery', 'Arn'] } },
    },
  },
  { fixture: 'events-schedule-v2', path: 'Resources.FnEveryRole', reason: `${SCHEDULE_V2}, so no scheduler role is made` },
];

/**
 * Not a per-fixture difference but one for every REST API: samtranslator names a RestApi's
 * Deployment `<Api>Deployment<hash>` with the hash of Python's str() of the swagger body (its dict
 * order and u'' prefixes included); Lambkin hashes the body's stable JSON. Both change exactly when
 * the body does, which is what makes CloudFormation redeploy. The comparison replaces the hash (in
 * the logical id, the Refs to it and the Description) with this placeholder on both sides.
 */
export const DEPLOYMENT_HASH_PLACEHOLDER = '<hash>';
