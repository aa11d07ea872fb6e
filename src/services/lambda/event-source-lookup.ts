/**
 * Answers whether an event source exists, as AWS checks at CreateEventSourceMapping time
 * (`Stream not found: …`, SQS `NonExistentQueue`). Lambkin has no SQS, Kinesis or DynamoDB yet,
 * so the default accepts every well-formed ARN; the embedded services will supply real lookups.
 */
export interface EventSourceLookup {
  exists(arn: string): Promise<boolean>;
}

export const acceptAnyEventSource: EventSourceLookup = {
  exists: async () => true,
};
