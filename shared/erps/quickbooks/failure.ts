import type { FailureOutcome } from '../types';

export const ERP = 'quickbooks';

/** A failure decided before the customer call was sent (token refresh): carried to the adapter as an outcome. */
export class QuickBooksFailure extends Error {
  constructor(readonly outcome: FailureOutcome) {
    super(outcome.upstream.message);
    this.name = 'QuickBooksFailure';
  }
}
