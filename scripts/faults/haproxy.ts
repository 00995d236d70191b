import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The HAProxy configuration the README's production section describes, for portals on loopback
 * ports: round robin with a sticky cookie (Socket.IO's long-polling needs every request of a
 * session at one process), readiness checks every half second (a draining portal answers 503 and
 * is taken out before it closes), a refused connection retried on the other portal, and
 * WebSockets kept open for an hour.
 */
export function haproxyConfig(listenPort: number, portalPorts: readonly number[]): string {
  return [
    'global',
    '  maxconn 4000',
    'defaults',
    '  mode http',
    '  option forwardfor',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    '  option redispatch',
    '  retries 3',
    '  retry-on conn-failure empty-response response-timeout',
    'frontend portal',
    `  bind 127.0.0.1:${listenPort}`,
    '  default_backend portals',
    'backend portals',
    '  balance roundrobin',
    '  cookie bp_route insert indirect nocache httponly',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    ...portalPorts.map((port, index) => `  server portal${index + 1} 127.0.0.1:${port} check inter 500 fall 1 rise 2 cookie p${index + 1}`),
    '',
  ].join('\n');
}

/** Debian's HAProxy in the foreground with {@link haproxyConfig}, written into `dir`. */
export async function startHaproxy(dir: string, listenPort: number, portalPorts: readonly number[]): Promise<{ url: string; stop(): Promise<void> }> {
  const file = path.join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig(listenPort, portalPorts));
  // Debian installs it in /usr/sbin, which an unprivileged user's PATH may not hold.
  const binary = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
  const child: ChildProcess = spawn(binary, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}): ${stderr}`);
    const up = await fetch(`${url}/healthz`).then((answer) => answer.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not answer within 10 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
