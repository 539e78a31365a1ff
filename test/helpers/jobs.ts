import { randomUUID } from 'node:crypto';
import type { Job } from '../../shared/jobs/model';

/** A queued Siigo job of tenant-a with a minimal customer; `over` replaces any field. */
export function sampleJob(over: Partial<Job> = {}): Job {
  const t = over.createdAt ?? new Date().toISOString();
  return {
    jobId: randomUUID(),
    tenantId: 'tenant-a',
    erp: 'siigo',
    connectionId: 'c1',
    environment: 'sandbox',
    status: 'queued',
    customer: { personType: 'company', name: { company: 'X' }, type: 'customer', active: true },
    requestHash: 'h',
    source: 'api',
    attempts: 0,
    maxAttempts: 3,
    history: [],
    createdAt: t,
    updatedAt: t,
    ...over,
  };
}
