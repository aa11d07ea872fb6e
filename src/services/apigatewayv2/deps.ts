import type { Clock } from '../../clock.js';
import type { ApigwStore } from './store.js';

export interface ApigwDeps {
  store: ApigwStore;
  clock: Clock;
}
