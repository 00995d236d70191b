/** What the benchmark scripts share: child processes, socket clients, statistics. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { io as connect, type Socket } from 'socket.io-client';
import { projectRoot } from '../../server/paths.js';
import type { SessionStore } from '../../server/sessions/session.service.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The `p`th percentile of `samples` by nearest rank: the smallest sample with p% of them at or below it. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Starts a Node process and resolves with it once a stdout line matches `ready`; echoes its logged errors. */
export async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const found = ready.exec(line);
      if (found) resolve(found);
      // The servers' errors (pino level 50 and above) are shown; everything else is dropped.
      if (/"level":[56]0/.test(line)) console.error(line.slice(0, 2000));
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready`)));
  });
  child.stdout?.resume();
  return { child, match };
}

/** Opens one WebSocket-only Socket.IO client per option set, `concurrency` at a time. */
export async function openSockets(url: string, options: Parameters<typeof connect>[1][], concurrency = 100): Promise<Socket[]> {
  const sockets: Socket[] = new Array<Socket>(options.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.length) {
      const index = next++;
      const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options[index] });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      sockets[index] = socket;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sockets;
}

/**
 * Kills `children` (the servers a benchmark started) if the benchmark itself is interrupted or
 * timed out, so that no portal or relay is left running behind it.
 */
export function killOnInterrupt(children: readonly ChildProcess[]): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** A server a benchmark started: its process and base URL. */
export interface BenchServer {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Starts the portal as its own process (production mode, on `databaseUri`), so that the
 * load-generating client does not share its CPU; `env` adds settings, `nodeArgs` flags (profiling).
 */
export async function startPortalProcess(databaseUri: string, appSecret: string, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<BenchServer> {
  const { child, match } = await startProcess(
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'],
    {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_ENV: 'production',
      PUBLIC_ORIGIN: 'http://127.0.0.1',
      PORT: '0',
      MONGODB_URI: databaseUri,
      MONGODB_DB: 'bench',
      APP_SECRET: appSecret,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    /"url":"(http:\/\/[^"]+)"/,
  );
  return { child, url: match[1]! };
}

/** Starts the bare Socket.IO relay (scripts/bench/bare-relay.ts), the baseline. */
export async function startBareRelay(): Promise<BenchServer> {
  const { child, match } = await startProcess(['--import', 'tsx', 'scripts/bench/bare-relay.ts'], { PATH: process.env['PATH'], HOME: process.env['HOME'] }, /listening (\d+)/);
  return { child, url: `http://127.0.0.1:${match[1]!}` };
}

/** A signed-in officer's session, written straight to the store (no sign-in is timed). */
export interface BenchSession {
  readonly accountId: string;
  readonly cookie: string;
  readonly csrfToken: string;
}

export async function benchSession(store: SessionStore, accountId: string): Promise<BenchSession> {
  const { sessionId, record } = await store.create(accountId, { ip: '127.0.0.1', userAgent: 'bench' });
  return { accountId, cookie: `__Host-bp_session=${sessionId}`, csrfToken: record.csrfToken };
}

/** A JSON (or multipart) call to the portal as `session`, with its CSRF token on writes; throws on an error status. */
export async function callAs<T>(baseUrl: string, session: BenchSession, method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { cookie: session.cookie, accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = session.csrfToken;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(baseUrl + route, { method, headers, body: payload });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Resolves when every socket has had `event` matching `match`, with the time of the last. */
export function allReceive(clients: readonly Socket[], event: string, match: (payload: unknown) => boolean): Promise<number> {
  return Promise.all(
    clients.map(
      (socket) =>
        new Promise<number>((resolve) => {
          const handler = (payload: unknown): void => {
            if (!match(payload)) return;
            socket.off(event, handler);
            resolve(performance.now());
          };
          socket.on(event, handler);
        }),
    ),
  ).then((times) => Math.max(...times));
}
