import fs from 'node:fs';
import { renderOpenApi, withErrorTable } from '../shared/api/openapi';

// `npm run openapi`: writes openapi.json at the repo root from the zod schemas, and the README's Errors table
// from the same error list (test/unit/openapi.test.ts fails when either disagrees with the code).
fs.writeFileSync(new URL('../openapi.json', import.meta.url), renderOpenApi());
const readme = new URL('../README.md', import.meta.url);
fs.writeFileSync(readme, withErrorTable(fs.readFileSync(readme, 'utf8')));
console.log('wrote openapi.json and the Errors table of README.md');
