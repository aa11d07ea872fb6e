import {
  ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import type { MessageAttributeValue } from '../../services/sqs/digests.js';
import { parseQueueArn } from '../../services/sqs/queue-arns.js';
import type { SqsSource, SqsSourceMessage } from './sqs-source.js';

/**
 * Polls any AWS-compatible SQS endpoint (AWS itself, another Lambkin, …) with the official SDK.
 * Credentials come from the SDK's default chain; on a loopback endpoint without any, `test`/`test`.
 */
export class RemoteSqsSource implements SqsSource {
  readonly fifo: boolean;
  readonly maxPerReceive = 10;
  private readonly client: SQSClient;
  private queueUrl: string | undefined;

  constructor(
    readonly queueArn: string,
    endpoint: string,
  ) {
    this.fifo = queueArn.endsWith('.fifo');
    const parsed = parseQueueArn(queueArn);
    const loopback = /^https?:\/\/(127\.|localhost|\[::1\])/.test(endpoint);
    const credentials = loopback && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
    this.client = new SQSClient({ endpoint, region: parsed?.region ?? 'us-east-1', credentials, maxAttempts: 2 });
  }

  private async url(): Promise<string> {
    if (this.queueUrl) return this.queueUrl;
    const parsed = parseQueueArn(this.queueArn);
    if (!parsed) throw new Error(`not a queue ARN: ${this.queueArn}`);
    const out = await this.client.send(new GetQueueUrlCommand({ QueueName: parsed.name, QueueOwnerAWSAccountId: parsed.accountId }));
    this.queueUrl = out.QueueUrl as string;
    return this.queueUrl;
  }

  async exists(): Promise<boolean> {
    try {
      await this.url();
      return true;
    } catch {
      return false;
    }
  }

  async visibilityTimeoutSeconds(): Promise<number> {
    const out = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: await this.url(), AttributeNames: ['VisibilityTimeout'] }));
    return Number(out.Attributes?.VisibilityTimeout ?? 30);
  }

  async receive(max: number, waitSeconds: number, visibilitySeconds: number, signal: AbortSignal): Promise<SqsSourceMessage[]> {
    const out = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: await this.url(),
        MaxNumberOfMessages: Math.min(max, 10),
        WaitTimeSeconds: Math.min(20, Math.ceil(waitSeconds)),
        VisibilityTimeout: visibilitySeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return (out.Messages ?? []).map((m) => {
      const messageAttributes: Record<string, MessageAttributeValue> = {};
      for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
        messageAttributes[name] = a.BinaryValue
          ? { DataType: a.DataType ?? 'Binary', BinaryValue: Buffer.from(a.BinaryValue).toString('base64') }
          : { DataType: a.DataType ?? 'String', StringValue: a.StringValue ?? '' };
      }
      return {
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        attributes: { ...(m.Attributes ?? {}) } as Record<string, string>,
        messageAttributes,
        md5OfBody: m.MD5OfBody ?? '',
        md5OfMessageAttributes: m.MD5OfMessageAttributes,
      };
    });
  }

  async deleteMessages(receiptHandles: string[]): Promise<void> {
    const url = await this.url();
    for (let i = 0; i < receiptHandles.length; i += 10) {
      const chunk = receiptHandles.slice(i, i + 10);
      await this.client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: chunk.map((h, j) => ({ Id: String(j), ReceiptHandle: h })) }));
    }
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: await this.url(), ReceiptHandle: receiptHandle, VisibilityTimeout: seconds })).catch(() => undefined);
  }

  close(): void {
    this.client.destroy();
  }
}
