/**
 * Answers whether an event source exists, as AWS checks at CreateEventSourceMapping time
 * (`Stream not found: …`, SQS `NonExistentQueue`). Lambkin has no SQS, Kinesis or DynamoDB yet,
 * so the default accepts every well-formed ARN; the embedded services will supply real lookups.
 */
export interface EventSourceLookup {
  /** `tags` are the new mapping's tags (a tag may name a remote endpoint to look the source up on). */
  exists(arn: string, options?: { tags?: Record<string, string> }): Promise<boolean>;
}

export const acceptAnyEventSource: EventSourceLookup = {
  exists: async () => true,
};
