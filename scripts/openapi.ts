import fs from 'node:fs';
import { renderOpenApi } from '../shared/api/openapi';

// `npm run openapi`: writes openapi.json at the repo root from the zod schemas (test/unit/openapi.test.ts fails
// when the committed file and the schemas disagree).
fs.writeFileSync(new URL('../openapi.json', import.meta.url), renderOpenApi());
console.log('wrote openapi.json');
