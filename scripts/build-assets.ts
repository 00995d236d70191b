/**
 * Bundles the browser code: every `public/js/<page>.ts` becomes `public/build/<page>.js`, with
 * the code it shares with the server (event contract, crypto client) bundled in.
 * Usage: tsx scripts/build-assets.ts [--watch]
 */
import { readdir, rm } from 'node:fs/promises';
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

if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching public/js for changes');
} else {
  const started = performance.now();
  await esbuild.build(options);
  console.log(`built ${entryPoints.length} page bundle(s) in ${Math.round(performance.now() - started)} ms`);
}
