import { alegraAdapter } from './alegra';
import { chargeoverAdapter } from './chargeover';
import { netsuiteAdapter } from './netsuite';
import { nextAdapter } from './next';
import { quickbooksAdapter } from './quickbooks';
import { sageAdapter } from './sage';
import { siigoAdapter } from './siigo';
import type { ErpAdapter, ErpId } from './types';

/**
 * Every supported ERP, one line each. The API, the worker and the CDK stack (one queue, DLQ and worker per
 * entry) all read this list, so adding an ERP is adding its folder and a line here.
 */
// biome-ignore lint/suspicious/noExplicitAny: each adapter has its own credentials type
const registered: ErpAdapter<any>[] = [
  siigoAdapter,
  alegraAdapter,
  quickbooksAdapter,
  netsuiteAdapter,
  chargeoverAdapter,
  nextAdapter,
  sageAdapter,
];

const byId = new Map<ErpId, ErpAdapter<unknown>>(registered.map((a) => [a.id, a]));

export function listAdapters(): ErpAdapter<unknown>[] {
  return [...byId.values()];
}

/** The adapter for an ERP name as clients spell it (`Siigo`, `Quickbooks`, `netsuite`…), or undefined. */
export function getAdapter(name: string): ErpAdapter<unknown> | undefined {
  return byId.get(name.trim().toLowerCase() as ErpId);
}
