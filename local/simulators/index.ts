import type { ErpId } from '../../shared/erps/types';
import type { ListenOptions, Simulator } from './kit';

export interface SimulatorEntry {
  start: (listen?: ListenOptions) => Promise<Simulator>;
  /** Credentials the simulator accepts out of the box (the `demo-<erp>` connection). */
  demoCredentials: unknown;
  /** Fixed port in the local stack. */
  port: number;
  /** Env var(s) that point the adapter at the simulator. `{url}` is replaced by the simulator's URL. */
  env: Record<string, string>;
}

/** One simulator per ERP, on fixed loopback ports in the local stack. */
export const simulators: Partial<Record<ErpId, SimulatorEntry>> = {};
