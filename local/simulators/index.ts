import type { ErpId } from '../../shared/erps/types';
import { ALEGRA_DEMO_CREDENTIALS, startAlegraSimulator } from './alegra';
import { CHARGEOVER_DEMO_CREDENTIALS, startChargeOverSimulator } from './chargeover';
import type { ListenOptions, Simulator } from './kit';
import {
  NETSUITE_DEMO_CREDENTIALS,
  NETSUITE_DEMO_INTEGRATION,
  type NetSuiteSimulator,
  startNetSuiteSimulator,
} from './netsuite';
import { NEXT_DEMO_CREDENTIALS, startNextSimulator } from './next';
import {
  QUICKBOOKS_DEMO_CREDENTIALS,
  type QuickBooksSimulator,
  startQuickBooksSimulator,
} from './quickbooks';
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
  /** Registers the stack's OAuth redirect URI with the simulated ERP (its app / integration record). */
  registerRedirectUri?: (sim: Simulator, uri: string) => void;
}

/** One simulator per ERP, on fixed loopback ports in the local stack. */
export const simulators: Partial<Record<ErpId, SimulatorEntry>> = {
  netsuite: {
    start: (listen) => startNetSuiteSimulator(listen),
    demoCredentials: NETSUITE_DEMO_CREDENTIALS,
    port: 4104,
    env: {
      NETSUITE_BASE_URL: '{url}/{accountId}',
      NETSUITE_AUTHORIZE_URL: '{url}/{accountId}/app/login/oauth2/authorize.nl',
      // The operator's integration record (OAuth 2.0 authorization code) is the simulator's demo one.
      NETSUITE_OAUTH_CLIENT_ID: NETSUITE_DEMO_INTEGRATION.clientId,
      NETSUITE_OAUTH_CLIENT_SECRET: NETSUITE_DEMO_INTEGRATION.clientSecret,
    },
    registerRedirectUri: (sim, uri) => (sim as NetSuiteSimulator).registerRedirectUri(uri),
  },
  quickbooks: {
    start: (listen) => startQuickBooksSimulator(listen),
    demoCredentials: QUICKBOOKS_DEMO_CREDENTIALS,
    port: 4103,
    env: {
      QUICKBOOKS_BASE_URL: '{url}',
      QUICKBOOKS_TOKEN_URL: '{url}/oauth2/v1/tokens/bearer',
      QUICKBOOKS_AUTHORIZE_URL: '{url}/connect/oauth2',
      // The operator's Intuit app is the simulator's demo app.
      QUICKBOOKS_OAUTH_CLIENT_ID: QUICKBOOKS_DEMO_CREDENTIALS.clientId,
      QUICKBOOKS_OAUTH_CLIENT_SECRET: QUICKBOOKS_DEMO_CREDENTIALS.clientSecret,
    },
    registerRedirectUri: (sim, uri) => (sim as QuickBooksSimulator).registerRedirectUri(uri),
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
