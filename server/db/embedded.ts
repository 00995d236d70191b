import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';

/** A running embedded FerretDB child process. */
export interface EmbeddedDatabase {
  /** Connection string of the child, on a free loopback port. */
  readonly uri: string;
  /** Process id of the child, for diagnostics and tests. */
  readonly pid: number;
  /** Resolves when the child has exited, for whatever reason, with its exit code. */
  readonly exited: Promise<number | null>;
  /** Stops the child (closes its stdin, then SIGKILL after `timeoutMs`) and waits for it to exit. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  readonly binary: string;
  readonly dataDir: string;
  readonly logger: Logger;
  /** How long to wait for the child to report READY. */
  readonly startTimeoutMs?: number;
  /** Address to listen on; a free loopback port by default (a restart asks for the same one). */
  readonly listen?: string;
}

const levelOf: Record<string, 'debug' | 'info' | 'warn' | 'error'> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Starts FerretDB (SQLite backend) as a child process with its data under `dataDir`.
 * The child stops when its stdin closes: when this process stops it (after draining its writes),
 * or when this process dies, even by SIGKILL, so no database is left running behind the portal.
 * It ignores signals and runs in a process group of its own: a Ctrl-C in the terminal, or a
 * service manager signalling the portal's whole group, reaches the portal alone, which stops the
 * database once nothing is left to write (a database stopped first failed the writes in flight).
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { binary, dataDir, logger } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // FerretDB reports every failed command (even harmless ones such as `endSessions`) as a warning,
  // and at debug level it logs whole documents: keep it at error unless the portal itself is debugging.
  const ferretLevel = logger.isLevelEnabled('debug') ? 'debug' : 'error';
  const args = ['-listen', options.listen ?? '127.0.0.1:0', '-data', dataDir, '-log-level', ferretLevel, '-ignore-signals'];
  const child: ChildProcessWithoutNullStreams = spawn(binary, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const log = logger.child({ component: 'ferretdb' });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      log.info({ code, signal }, 'embedded database exited');
      resolve(code);
    });
  });

  createInterface({ input: child.stderr }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      log[levelOf[entry.level ?? ''] ?? 'info']({ ferretdb: entry }, entry.msg ?? 'ferretdb');
    } catch {
      log.warn({ line }, 'ferretdb output');
    }
  });

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded database did not start within ${options.startTimeoutMs ?? 30_000} ms`));
    }, options.startTimeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^READY (mongodb:\/\/\S+)$/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start the embedded database ${binary}: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded database exited during start (exit ${code}); see the ferretdb log lines`));
    });
  });

  log.info({ pid: child.pid, uri, dataDir }, 'embedded database ready');

  return {
    uri,
    pid: child.pid ?? -1,
    exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
