/**
 * Builds the embedded database (FerretDB with its SQLite backend) once per machine, from the Go
 * module proxy, and prints where the binary is. Does nothing when it is already built.
 * Usage: tsx scripts/build-ferretdb.ts
 */
import { ensureFerretdbBinary, FerretdbBuildError } from '../server/db/ferretdb-binary.js';

try {
  const started = performance.now();
  let built = false;
  const binary = await ensureFerretdbBinary((target) => {
    built = true;
    console.log(`building FerretDB into ${target} (once per machine; about a minute)…`);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(built ? `built ${binary} in ${seconds} s` : `FerretDB already built: ${binary}`);
} catch (error) {
  if (!(error instanceof FerretdbBuildError)) throw error;
  console.error(`cannot build the embedded database: ${error.message}`);
  process.exit(1);
}
