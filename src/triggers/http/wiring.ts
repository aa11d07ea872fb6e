import type { Clock } from '../../clock.js';
import type { Service } from '../../contracts/service.js';
import type { SigV4Verifier } from '../../auth/sigv4-verify.js';
import type { Logger } from '../../logger.js';
import { createApigatewayV2Service } from '../../services/apigatewayv2/service.js';
import { ApigwStore } from '../../services/apigatewayv2/store.js';
import { ListenerPorts } from '../../services/elbv2/listener-ports.js';
import { createElbService } from '../../services/elbv2/service.js';
import { ElbStore } from '../../services/elbv2/store.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import { FunctionUrlLookup } from '../../services/lambda/function-url-lookup.js';
import type { Store } from '../../store/database.js';
import { AlbDoor } from './alb.js';
import { frontDoorDispatch, type FrontDoorDispatch } from './front-doors.js';
import { FunctionUrlDoor } from './function-urls.js';
import { HttpApiDoor } from './http-apis.js';

export interface HttpFrontDoors {
  /** The ELBv2 and apigatewayv2 APIs, behind the edge like any service. */
  services: Service[];
  /** Function URLs and HTTP APIs on the main port (edge hook). */
  frontDoor: FrontDoorDispatch;
  /** Re-opens the stored ALB listener ports. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Everything the three HTTP front doors need, wired once for `server.ts`. */
export function createHttpFrontDoors(options: { store: Store; invoker: FunctionInvoker; verifier: SigV4Verifier; clock: Clock; logger: Logger; host: string }): HttpFrontDoors {
  const { store, invoker, verifier, clock, logger, host } = options;
  const elbStore = new ElbStore(store);
  const alb = new AlbDoor({ invoker, logger }, elbStore);
  const ports = new ListenerPorts(host, (arn, port) => alb.handler(arn, port), logger);
  const apigwStore = new ApigwStore(store);
  return {
    services: [createElbService({ db: store, store: elbStore, clock, ports }), createApigatewayV2Service({ store: apigwStore, clock })],
    frontDoor: frontDoorDispatch({ urls: new FunctionUrlDoor({ invoker, urls: new FunctionUrlLookup(store) }, verifier), apis: new HttpApiDoor(invoker, apigwStore) }),
    start: async () => ports.reopen(await elbStore.allListeners()),
    close: () => ports.closeAll(),
  };
}
