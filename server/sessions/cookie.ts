import type { IncomingMessage } from 'node:http';

/**
 * The session cookie. The `__Host-` prefix makes browsers insist on Secure, Path=/ and no Domain,
 * so no subdomain or plain-http page can plant or read it (browsers treat http://localhost as
 * secure, so development works too).
 */
export const SESSION_COOKIE = '__Host-bp_session';

/** Reads one cookie's value from a request's Cookie header. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** The Set-Cookie value that stores `sessionId` for the browser session (no Max-Age: it ends with the browser). */
export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; Secure; HttpOnly; SameSite=Strict`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`;
}
