/** A schedule as stored: GetSchedule's members, dates in epoch ms (seconds on the wire). */
export interface ScheduleDoc {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State: 'ENABLED' | 'DISABLED';
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  Target: ScheduleTarget;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  Description?: string;
  StartDate?: number;
  EndDate?: number;
  KmsKeyArn?: string;
  CreationDate: number;
  LastModificationDate: number;
}

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
  [other: string]: unknown;
}

export const DEFAULT_GROUP = 'default';

export function scheduleArn(region: string, accountId: string, group: string, name: string): string {
  return `arn:aws:scheduler:${region}:${accountId}:schedule/${group}/${name}`;
}

export function groupArn(region: string, accountId: string, group: string): string {
  return `arn:aws:scheduler:${region}:${accountId}:schedule-group/${group}`;
}

/** The wire form: timestamps in epoch seconds. */
export function scheduleView(doc: ScheduleDoc): Record<string, unknown> {
  const view: Record<string, unknown> = { ...doc, CreationDate: doc.CreationDate / 1000, LastModificationDate: doc.LastModificationDate / 1000 };
  if (doc.StartDate !== undefined) view.StartDate = doc.StartDate / 1000;
  if (doc.EndDate !== undefined) view.EndDate = doc.EndDate / 1000;
  return view;
}
