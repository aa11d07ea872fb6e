import { randomBytes } from 'node:crypto';
import type { AttributeValue, Item, KeySchema } from '../attribute-value.js';
import type { ItemChange, StreamViewType } from '../stream-contract.js';
import { itemSize } from '../item-size.js';

/** A stream record as GetRecords answers it (member order as AWS's, which Lambda events keep). */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Epoch seconds. */
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  /** Only on TTL deletions. */
  userIdentity?: { PrincipalId: string; Type: string };
}

/** The record of one change, trimmed to the view type: Keys always, the images the type names. */
export function buildStreamRecord(change: ItemChange, viewType: StreamViewType, sequenceNumber: string, region: string, nowMs: number): StreamRecord {
  const newImage = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.newImage : undefined;
  const oldImage = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.oldImage : undefined;
  const record: StreamRecord = {
    eventID: randomBytes(16).toString('hex'),
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(nowMs / 1000),
      Keys: change.keys,
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: itemSize(change.keys) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0),
      StreamViewType: viewType,
    },
  };
  if (change.byTimeToLive) record.userIdentity = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' };
  return record;
}

/** One item's key as a string (hash, then range value), the same for every change of that item. */
export function itemKeyString(keySchema: KeySchema, keys: Item): string {
  const parts: AttributeValue[] = [keys[keySchema.hash.name]!];
  if (keySchema.range) parts.push(keys[keySchema.range.name]!);
  return JSON.stringify(parts);
}

/** The region in a stream ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`). */
export function regionOfStreamArn(streamArn: string): string {
  return streamArn.split(':')[3] ?? '';
}
