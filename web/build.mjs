// Bundles the pages (src/) into OUTDIR (default ../build/web): the statistics page (index.html, app.js, app.css),
// the person timeline (tidslinje.html/.js/.css) and the citizen's page (minside.html/.js/.css). Run by CMake
// (target dfdg_web) and `make web`; everything a page needs is in its three files (and the script's .gz).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] || join(here, '..', 'build', 'web'));
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: ['app', 'tidslinje', 'minside'].map((name) => join(here, 'src', `${name}.js`)),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outdir,
  logLevel: 'warning',
});
for (const page of ['index', 'tidslinje', 'minside']) copyFileSync(join(here, 'src', `${page}.html`), join(outdir, `${page}.html`));
// Precompressed scripts (gzip level 9, once here instead of per request): dfdg serve sends NAME.js.gz when the
// browser accepts gzip (src/api/static_asset.h).
for (const name of ['app', 'tidslinje', 'minside']) {
  const file = join(outdir, `${name}.js`);
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
}
console.log(`web: bundled into ${outdir}`);
