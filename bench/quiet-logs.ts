// Imported first by bench/run.ts, before any handler builds its logger: the bench prints its table, not a JSON
// line per request (warnings and errors still show). Cold starts run in child processes with their own env.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
