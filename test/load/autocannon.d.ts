// autocannon ships no types: the part of its programmatic API the load run uses.
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      connections?: number;
      amount?: number;
      /** Seconds before a request is given up on (default 10). */
      timeout?: number;
      requests?: unknown[];
    }
    interface Result {
      latency: { p50: number; p99: number; average: number };
      requests: { average: number; total: number };
      /** Requests that ended in a connection error, timeouts included. */
      errors: number;
    }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
