import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../paths.js';

/** The FerretDB release the embedded database is built from (pinned in scripts/ferretdb/go.mod). */
export const FERRETDB_VERSION = 'v1.24.2';

const sourceDir = path.join(projectRoot, 'scripts', 'ferretdb');
const sourceFiles = ['main.go', 'go.mod', 'go.sum'];

/** Raised when the embedded database cannot be built; the message says what to do. */
export class FerretdbBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FerretdbBuildError';
  }
}

/**
 * Where the built binary is cached: once per machine (not per clone), keyed by the launcher's
 * source so that a change to it or to the pinned version builds a new binary.
 */
export async function cachedBinaryPath(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of sourceFiles) hash.update(await readFile(path.join(sourceDir, file)));
  const key = hash.digest('hex').slice(0, 12);
  return path.join(os.homedir(), '.cache', 'bharatpol-hub', `ferretdb-${FERRETDB_VERSION}-${key}`);
}

/**
 * Returns the path of a runnable FerretDB binary, building it with Go from the module proxy if
 * this machine has none yet. `onBuild` is told before a (slow, ~1-2 minute) build starts.
 */
export async function ensureFerretdbBinary(onBuild?: (target: string) => void): Promise<string> {
  const target = await cachedBinaryPath();
  if (existsSync(target)) return target;
  await checkGoVersion();
  onBuild?.(target);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  try {
    await runGo(['build', '-trimpath', '-o', partial, '.']);
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  return target;
}

/** The oldest Go that builds the launcher: the `go` line of scripts/ferretdb/go.mod. */
export async function requiredGoVersion(): Promise<string> {
  const goMod = await readFile(path.join(sourceDir, 'go.mod'), 'utf8');
  const required = /^go (\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod)?.[1];
  if (!required) throw new FerretdbBuildError('scripts/ferretdb/go.mod has no `go` line');
  return required;
}

/** Whether version `found` (1.22.4) is at least `required` (1.24), part by part. */
export function goVersionAtLeast(found: string, required: string): boolean {
  const a = found.split('.').map(Number);
  const b = required.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * Fails in one line, naming the version found, when the Go on PATH is older than go.mod asks.
 * (Go 1.21+ would otherwise try to fetch a newer toolchain, or fail deep in the build.)
 */
async function checkGoVersion(): Promise<void> {
  const required = await requiredGoVersion();
  const output = await runGo(['version'], 'pipe');
  const found = /\bgo(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
  if (!found || !goVersionAtLeast(found, required)) {
    throw new FerretdbBuildError(
      `Go ${required} or newer is needed once to build the embedded database; found ` +
        `${found ? `Go ${found}` : `\`${output.trim()}\``} (\`go version\`). Install a newer Go, or set ` +
        'MONGODB_URI to a MongoDB server and skip the embedded database.',
    );
  }
}

/** Runs go; resolves with its standard output when asked to `pipe` it (else it is shown). */
function runGo(args: string[], stdout: 'inherit' | 'pipe' = 'inherit'): Promise<string> {
  return new Promise((resolve, reject) => {
    // GOTOOLCHAIN=local: build with the Go on PATH, never download another one.
    const child = spawn('go', args, {
      cwd: sourceDir,
      // eslint-disable-next-line no-restricted-properties -- the build's child environment, not configuration
      env: { ...process.env, GOTOOLCHAIN: 'local' },
      stdio: ['ignore', stdout, 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new FerretdbBuildError(
          error.code === 'ENOENT'
            ? 'Go is not installed, and it is needed once to build the embedded database (FerretDB ' +
                `${FERRETDB_VERSION}). Install Go 1.24 or newer (https://go.dev/doc/install, or ` +
                '`apt-get install golang`), or set MONGODB_URI to a MongoDB server and skip the embedded database.'
            : `could not run go: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new FerretdbBuildError(`go ${args.join(' ')} failed (exit ${code}):\n${stderr.trim()}`));
    });
  });
}
