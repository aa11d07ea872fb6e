import type { Clock } from '../../clock.js';
import type { InvokePolicyCheck } from '../../contracts/function-invoke-check.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { ListenerPorts, type ListenerHandlerFactory } from './listener-ports.js';
import { createElbService } from './service.js';
import { ElbStore } from './store.js';
import { ListenerCertificate, type TlsCertificateSource } from './tls-certificate.js';

export interface StartedElbv2 extends StartedService {
  /** Load balancers, listeners, rules and target groups, as the ALB front door reads them. */
  store: ElbStore;
  /** Who answers on listener ports (the ALB front door); set before `start()` or any CreateListener. */
  serveListeners(handlerFor: ListenerHandlerFactory): void;
  /** Re-opens the stored listeners' ports. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The ELBv2 API and the real TCP ports its HTTP and HTTPS listeners own. */
export async function startElbv2(deps: {
  db: Store; clock: Clock; logger: Logger; host: string; invokePolicy: InvokePolicyCheck; tls: TlsCertificateSource;
}): Promise<StartedElbv2> {
  const store = new ElbStore(deps.db);
  let handlerFor: ListenerHandlerFactory | undefined;
  const ports = new ListenerPorts(
    deps.host,
    (arn, port) => {
      if (!handlerFor) throw new Error('no front door answers on ELB listener ports');
      return handlerFor(arn, port);
    },
    deps.logger,
    new ListenerCertificate(deps.tls),
  );
  return {
    service: createElbService({ db: deps.db, store, clock: deps.clock, ports, invokePolicy: deps.invokePolicy }),
    store,
    serveListeners(factory) {
      handlerFor = factory;
    },
    start: async () => ports.reopen(await store.allListeners()),
    // Every load balancer, target group, listener and rule of every account; the listeners' ports
    // close first (their open connections with them), so a listener made afterwards can have the port.
    reset: async () => {
      await ports.closeAll();
      await store.deleteAll();
    },
    close: () => ports.closeAll(),
  };
}
