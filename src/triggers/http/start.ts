import type { SigV4Verifier } from '../../auth/sigv4-verify.js';
import type { Logger } from '../../logger.js';
import type { StartedApigatewayv2 } from '../../services/apigatewayv2/start.js';
import type { StartedElbv2 } from '../../services/elbv2/start.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import { FunctionUrlLookup } from '../../services/lambda/function-url-lookup.js';
import type { PolicySource } from '../../contracts/authorization.js';
import type { Store } from '../../store/database.js';
import { AlbDoor } from './alb.js';
import { frontDoorDispatch, type FrontDoorDispatch } from './front-doors.js';
import { FunctionUrlDoor } from './function-urls.js';
import { HttpApiDoor } from './http-apis.js';
import { RestApiDoor } from './rest-apis.js';

export interface StartedHttpFrontDoors {
  /** Function URLs, HTTP APIs and REST APIs on the main port (the edge's hook). */
  frontDoor: FrontDoorDispatch;
}

/**
 * The HTTP front doors: function URLs, HTTP APIs and REST APIs behind the edge, and the ALB door on the
 * ports of ELB listeners (handed to elbv2, which opens them).
 */
export async function startHttpFrontDoors(deps: {
  db: Store;
  invoker: FunctionInvoker;
  logger: Logger;
  verifier: SigV4Verifier;
  elbv2: Pick<StartedElbv2, 'store' | 'serveListeners'>;
  apigatewayv2: Pick<StartedApigatewayv2, 'store'>;
  /** IAM policies of callers held to them (AWS_IAM function URLs). */
  policies?: PolicySource;
}): Promise<StartedHttpFrontDoors> {
  const { invoker, verifier } = deps;
  const alb = new AlbDoor({ invoker, logger: deps.logger }, deps.elbv2.store);
  deps.elbv2.serveListeners((arn, port) => alb.handler(arn, port));
  const httpApis = new HttpApiDoor(invoker, deps.apigatewayv2.store);
  const restApis = new RestApiDoor(invoker, deps.apigatewayv2.store);
  return {
    frontDoor: frontDoorDispatch({
      urls: new FunctionUrlDoor({ invoker, urls: new FunctionUrlLookup(deps.db), policies: deps.policies }, verifier),
      // REST and HTTP APIs share `<api-id>.execute-api…` (and the path-style prefix): the id tells them apart.
      apis: {
        serve: async (req, res, target) => ((await restApis.serves(target.apiId)) ? restApis.serve(req, res, target) : httpApis.serve(req, res, target)),
      },
    }),
  };
}
