// Imported by local/start.ts before anything else that builds a Powertools logger (the handlers build theirs
// when their module loads): the per-request JSON lines appear only with LOG_LEVEL=INFO (or DEBUG); by default
// the local stack prints its banner and warnings.
const level = process.env.LOG_LEVEL?.toUpperCase();
export const verbose = level === 'INFO' || level === 'DEBUG';
if (verbose) process.env.POWERTOOLS_LOG_LEVEL = level;
else if (!process.env.POWERTOOLS_LOG_LEVEL) process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
