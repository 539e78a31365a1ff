// autocannon ships no types: the part of its programmatic API the load run uses.
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      connections?: number;
      amount?: number;
      requests?: unknown[];
    }
    interface Result {
      latency: { p50: number; p99: number; average: number };
      requests: { average: number; total: number };
    }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
