import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** podscope's version, from package.json (same relative path from src/ and dist/). */
export const VERSION: string = (require('../package.json') as { version: string }).version;
