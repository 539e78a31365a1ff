import type { ErpId } from '../../shared/erps/types';
import { ALEGRA_DEMO_CREDENTIALS, startAlegraSimulator } from './alegra';
import { CHARGEOVER_DEMO_CREDENTIALS, startChargeOverSimulator } from './chargeover';
import type { ListenOptions, Simulator } from './kit';
import { NETSUITE_DEMO_CREDENTIALS, startNetSuiteSimulator } from './netsuite';
import { NEXT_DEMO_CREDENTIALS, startNextSimulator } from './next';
import { QUICKBOOKS_DEMO_CREDENTIALS, startQuickBooksSimulator } from './quickbooks';
import { SAGE_DEMO_CREDENTIALS, startSageSimulator } from './sage';
import { SIIGO_DEMO_CREDENTIALS, startSiigoSimulator } from './siigo';

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
export const simulators: Partial<Record<ErpId, SimulatorEntry>> = {
  netsuite: {
    start: (listen) => startNetSuiteSimulator(listen),
    demoCredentials: NETSUITE_DEMO_CREDENTIALS,
    port: 4104,
    env: { NETSUITE_BASE_URL: '{url}/{accountId}' },
  },
  quickbooks: {
    start: (listen) => startQuickBooksSimulator(listen),
    demoCredentials: QUICKBOOKS_DEMO_CREDENTIALS,
    port: 4103,
    env: { QUICKBOOKS_BASE_URL: '{url}', QUICKBOOKS_TOKEN_URL: '{url}/oauth2/v1/tokens/bearer' },
  },
  next: {
    start: (listen) => startNextSimulator(listen),
    demoCredentials: NEXT_DEMO_CREDENTIALS,
    port: 4106,
    env: { NEXT_BASE_URL: '{url}/v1' },
  },
  alegra: {
    start: (listen) => startAlegraSimulator(listen),
    demoCredentials: ALEGRA_DEMO_CREDENTIALS,
    port: 4102,
    env: { ALEGRA_BASE_URL: '{url}/api/v1' },
  },
  siigo: {
    start: (listen) => startSiigoSimulator(listen),
    demoCredentials: SIIGO_DEMO_CREDENTIALS,
    port: 4101,
    env: { SIIGO_BASE_URL: '{url}' },
  },
  sage: {
    start: (listen) => startSageSimulator(listen),
    demoCredentials: SAGE_DEMO_CREDENTIALS,
    port: 4107,
    env: { SAGE_BASE_URL: '{url}/api/2.0.0' },
  },
  chargeover: {
    start: (listen) => startChargeOverSimulator(listen),
    demoCredentials: CHARGEOVER_DEMO_CREDENTIALS,
    port: 4105,
    env: { CHARGEOVER_BASE_URL: '{url}/api/v3' },
  },
};
