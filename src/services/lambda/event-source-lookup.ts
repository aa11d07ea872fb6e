/**
 * Answers whether an event source exists, as AWS checks at CreateEventSourceMapping time
 * (`Stream not found: …`, SQS `NonExistentQueue`). server.ts hands Lambda the lookup over the
 * embedded services (`triggers/esm/sqs-source-lookup.ts`); the default, for Lambda alone, accepts
 * every well-formed ARN.
 */
export interface EventSourceLookup {
  /** `tags` are the new mapping's tags (a tag may name a remote endpoint to look the source up on). */
  exists(arn: string, options?: { tags?: Record<string, string> }): Promise<boolean>;
}

export const acceptAnyEventSource: EventSourceLookup = {
  exists: async () => true,
};
