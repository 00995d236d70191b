import { io as connect, type Socket } from 'socket.io-client';
import { generate } from 'otplib';
import { nowMs } from '../../server/clock.js';
import { deriveSecrets, type KdfParameters } from '../../server/crypto/kdf.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An answer from the portal: status, parsed JSON (or text) and headers. */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  /** The body as received, for files. */
  readonly bytes: Buffer;
}

/** The current TOTP code for `secret` on the portal's clock (which tests may move). */
export function totpCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(nowMs() / 1000) });
}

/**
 * An officer's browser, minus the browser: keeps the session cookie, sends the CSRF token the
 * pages carry, signs in the way the sign-in page does (derive the secret locally, send it with a
 * code), and opens authenticated sockets.
 */
export class PortalClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  /** Base URL of the portal; a test may point it at a restarted server. */
  constructor(public baseUrl: string) {}

  /** Sends a request; JSON bodies by default, or `raw` with its own content type. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { json?: unknown; raw?: string | Uint8Array; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.cookie) headers['cookie'] = this.cookie;
    if (this.csrfToken && method !== 'GET' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrfToken;
    let body: string | Blob | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = typeof options.raw === 'string' ? options.raw : new Blob([new Uint8Array(options.raw)]);
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const match = /__Host-bp_session=([^;]*)/.exec(setCookie);
      if (match) this.cookie = match[1] ? `__Host-bp_session=${match[1]}` : undefined;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // pages answer HTML
    }
    return { status: response.status, body: parsed as T, headers: response.headers, bytes };
  }

  /** Signs in with a password and TOTP secret; returns the sign-in answer. */
  async signIn(username: string, password: string, code: string): Promise<Answer<{ username?: string; error?: { code: string } }>> {
    const kdf = await this.request<KdfParameters>('POST', '/api/auth/kdf', { json: { username } });
    const { signInSecret } = await deriveSecrets(password, kdf.body);
    const answer = await this.request<{ username?: string; error?: { code: string } }>('POST', '/api/auth/sign-in', {
      json: { username, signInSecret, code },
    });
    if (answer.status === 200) await this.loadCsrfToken();
    return answer;
  }

  /** Reads the CSRF token from a page, as the browser scripts do. */
  async loadCsrfToken(): Promise<void> {
    const page = await this.request<string>('GET', '/', { headers: { accept: 'text/html' } });
    this.csrfToken = /<meta name="csrf-token" content="([^"]+)">/.exec(String(page.body))?.[1];
  }

  /**
   * Opens a socket with this client's session cookie and waits until it is connected (or
   * refused); `listen` adds listeners first, for the events the server sends on connection.
   */
  async socket(listen?: (socket: ClientSocket) => void): Promise<ClientSocket> {
    const socket: ClientSocket = connect(this.baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: this.cookie ? { cookie: this.cookie } : {},
    });
    listen?.(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
    return socket;
  }
}
