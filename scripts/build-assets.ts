/**
 * Bundles the browser code: every `public/js/<page>.ts` becomes `public/build/<page>.js`, with
 * the code it shares with the server (event contract, crypto client) bundled in. PDF.js's worker,
 * fonts and decoders are copied beside it (`public/build/pdfjs/`), served from the portal's origin.
 * Usage: tsx scripts/build-assets.ts [--watch]
 */
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { projectRoot } from '../server/paths.js';

const pagesDir = path.join(projectRoot, 'public', 'js');
const entryPoints = (await readdir(pagesDir))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join(pagesDir, name));

const outdir = path.join(projectRoot, 'public', 'build');
// Chunk names carry content hashes: start clean so that old chunks do not pile up.
await rm(outdir, { recursive: true, force: true });

const options: esbuild.BuildOptions = {
  entryPoints,
  outdir,
  bundle: true,
  format: 'esm',
  splitting: true,
  target: ['chrome110', 'firefox115', 'safari16'],
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
};

/** PDF.js's worker and the data it fetches at run time, from the installed pdfjs-dist. */
async function copyPdfJs(): Promise<void> {
  const source = path.join(projectRoot, 'node_modules', 'pdfjs-dist');
  const target = path.join(outdir, 'pdfjs');
  await cp(path.join(source, 'build', 'pdf.worker.min.mjs'), path.join(target, 'pdf.worker.min.mjs'));
  for (const folder of ['standard_fonts', 'cmaps', 'wasm']) await cp(path.join(source, folder), path.join(target, folder), { recursive: true });
}

if (process.argv.includes('--watch')) {
  await copyPdfJs();
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching public/js for changes');
} else {
  const started = performance.now();
  await esbuild.build(options);
  await copyPdfJs();
  console.log(`built ${entryPoints.length} page bundle(s) in ${Math.round(performance.now() - started)} ms`);
}
