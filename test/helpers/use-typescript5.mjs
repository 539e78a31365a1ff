// node --import ./test/helpers/use-typescript5.mjs …: openapi-typescript imports 'typescript' and needs the
// TypeScript 5 compiler API, which the repo's own TypeScript 7 does not ship. Its imports (and only its) are
// answered with the typescript5 dev dependency (npm:typescript@5.x).
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && /[\\\\/]node_modules[\\\\/]openapi-typescript[\\\\/]/.test(context.parentURL ?? '')) {
    return next('typescript5', context);
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
