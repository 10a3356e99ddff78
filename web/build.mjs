// Bundles the statistics page (src/) into OUTDIR (default ../build/web): index.html, app.js, app.css.
// Run by CMake (target dfdg_web) and `make web`; everything the page needs is in these three files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] || join(here, '..', 'build', 'web'));
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'app.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outfile: join(outdir, 'app.js'),
  logLevel: 'warning',
});
copyFileSync(join(here, 'src', 'index.html'), join(outdir, 'index.html'));
console.log(`web: bundled into ${outdir}`);
