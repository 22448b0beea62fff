// Bundles src/cli.ts into .bundle/cli.mjs, which bin/* run. A stand-in is started many times per
// test, and plain node on one bundled file starts several times faster than a TypeScript loader.
// bin/* call this whenever a source file is newer than the bundle; concurrent builds each write
// their own temp file and rename it, so a reader always sees a whole bundle.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '.bundle', 'cli.mjs');
const temp = `${out}.${process.pid}.tmp`;
mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'cli.ts')],
  outfile: temp,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
renameSync(temp, out);
