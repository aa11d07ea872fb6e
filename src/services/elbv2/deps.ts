import type { Clock } from '../../clock.js';
import type { InvokePolicyCheck } from '../../contracts/function-invoke-check.js';
import type { Store } from '../../store/database.js';
import type { ListenerPorts } from './listener-ports.js';
import type { ElbStore } from './store.js';

export interface ElbDeps {
  db: Store;
  store: ElbStore;
  clock: Clock;
  ports: ListenerPorts;
  /** Lambda's answer whether a function's policy lets ELB invoke it (RegisterTargets). */
  invokePolicy: InvokePolicyCheck;
}
