import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { isJsonRpcRequest, jsonRpcError, jsonRpcResponse, JsonRpcBodyInvalid, parseJsonRpc, type JsonRpcDialect } from '../../protocols/json-rpc.js';
import { QueryParams, queryError, queryResponse, type QueryDialect } from '../../protocols/query.js';
import { FLATTENED_XML } from '../../protocols/xml-writer.js';
import { sqsAction, sqsResource } from './iam-actions.js';
import { errors } from './errors.js';
import { REQUEST_BYTES_MAX } from './limits.js';
import type { MessageMoveTasks } from './message-move-tasks.js';
import type { SqsCall, SqsOperation } from './operations/context.js';
import * as messages from './operations/messages.js';
import * as moveTasks from './operations/move-tasks.js';
import * as permissions from './operations/permissions.js';
import { authorizeCrossAccount } from './operations/cross-account.js';
import * as queueOps from './operations/queues.js';
import { jsonOutputToQuery, queryInputToJson } from './query-shapes.js';
import { sqsManagementCall } from './management-calls.js';
import type { SqsQueues } from './queues.js';
import { scopeOfCall } from './call-scope.js';
import { relayIfServedElsewhere, type SqsCluster } from './queue-relay.js';

/** SQS's awsJson (awsQueryCompatible): `__type` is the shape id, the message always `message`. */
const JSON_DIALECT: JsonRpcDialect = { targetPrefix: 'AmazonSQS', jsonVersion: '1.0', errorNamespace: 'com.amazonaws.sqs', errorTypeHeader: false, messageKey: 'message' };
/** SQS's query answers: flattened lists, an XML declaration and `<Detail/>` in errors. */
const QUERY_DIALECT: QueryDialect = {
  xmlns: 'http://queue.amazonaws.com/doc/2012-11-05/',
  xml: FLATTENED_XML,
  declaration: true,
  errorDetail: true,
  errorFields: false,
  errorCodeFromHeader: true,
};
const QUEUE_PATH = /^\/\d{12}\/[^/]+\/?$/;

const OPERATIONS: Record<string, SqsOperation> = {
  CreateQueue: queueOps.createQueue,
  GetQueueUrl: queueOps.getQueueUrl,
  ListQueues: queueOps.listQueues,
  DeleteQueue: queueOps.deleteQueue,
  GetQueueAttributes: queueOps.getQueueAttributes,
  SetQueueAttributes: queueOps.setQueueAttributes,
  PurgeQueue: queueOps.purgeQueue,
  TagQueue: queueOps.tagQueue,
  UntagQueue: queueOps.untagQueue,
  ListQueueTags: queueOps.listQueueTags,
  ListDeadLetterSourceQueues: queueOps.listDeadLetterSourceQueues,
  AddPermission: permissions.addPermission,
  RemovePermission: permissions.removePermission,
  SendMessage: messages.sendMessage,
  SendMessageBatch: messages.sendMessageBatch,
  ReceiveMessage: messages.receiveMessage,
  DeleteMessage: messages.deleteMessage,
  DeleteMessageBatch: messages.deleteMessageBatch,
  ChangeMessageVisibility: messages.changeMessageVisibility,
  ChangeMessageVisibilityBatch: messages.changeMessageVisibilityBatch,
  StartMessageMoveTask: moveTasks.startMessageMoveTask,
  ListMessageMoveTasks: moveTasks.listMessageMoveTasks,
  CancelMessageMoveTask: moveTasks.cancelMessageMoveTask,
};

/**
 * The SQS API behind the edge: the JSON protocol current SDKs use (`X-Amz-Target: AmazonSQS.*`)
 * and the query protocol (form body, XML answers) of older clients, on `/` or on a queue's URL path.
 */
export function createSqsService(queues: SqsQueues, tasks: MessageMoveTasks, cluster?: SqsCluster): Service {
  return {
    name: 'sqs',
    signingName: 'sqs',
    targetPrefixes: [JSON_DIALECT.targetPrefix],
    maxBodyBytes: REQUEST_BYTES_MAX,
    ownsPath: () => false,
    queryActions: new Set(Object.keys(OPERATIONS)),
    managementCall: (ctx: RequestContext, response: ServiceResponse) => sqsManagementCall(ctx, response),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const json = isJsonRpcRequest(ctx.headers);
      try {
        if (json) {
          let parsed;
          try {
            parsed = parseJsonRpc(ctx);
          } catch (err) {
            if (err instanceof JsonRpcBodyInvalid) throw errors.malformedInput(err.message);
            throw err;
          }
          if (cluster) {
            const relayed = await relayIfServedElsewhere(cluster, scopeOfCall(parsed.operation, parsed.input, ctx), parsed.operation === 'CreateQueue', ctx);
            if (relayed) return relayed;
          }
          const output = await run(parsed.operation, { queues, moveTasks: tasks, ctx, input: parsed.input });
          return jsonRpcResponse(JSON_DIALECT, output);
        }
        const params = QueryParams.fromRequest(ctx, { formBodyOnly: false });
        const action = params.action;
        const input = queryInputToJson(action, params.tree());
        if (input.QueueUrl === undefined && QUEUE_PATH.test(ctx.rawPath)) input.QueueUrl = ctx.rawPath;
        if (cluster) {
          const relayed = await relayIfServedElsewhere(cluster, scopeOfCall(action, input, ctx), action === 'CreateQueue', ctx);
          if (relayed) return relayed;
        }
        const output = await run(action, { queues, moveTasks: tasks, ctx, input });
        return queryResponse(QUERY_DIALECT, action, ctx.requestId, output === undefined ? undefined : jsonOutputToQuery(action, output));
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        return json ? jsonRpcError(JSON_DIALECT, err) : queryError(QUERY_DIALECT, err, ctx.requestId);
      }
    },
    serializeError(error: AwsError, headers?: IncomingHttpHeaders): ServiceResponse {
      return !headers || isJsonRpcRequest(headers) ? jsonRpcError(JSON_DIALECT, error) : queryError(QUERY_DIALECT, error);
    },
    accessDenied: (message: string) => new AwsError('AccessDenied', 403, message),
    tooLarge: () => errors.requestTooLarge(),
  };
}

async function run(operation: string, call: SqsCall): Promise<Record<string, unknown> | undefined> {
  const handler = OPERATIONS[operation];
  if (!handler) throw errors.invalidAction(operation);
  const resource = sqsResource(call.ctx, call.input);
  call.ctx.authorize?.(sqsAction(operation), resource);
  authorizeCrossAccount(call, operation, resource);
  return handler(call);
}
