import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor, RequestOrigin } from '../access/actor.js';
import type { AuditSink } from '../access/audit-event.js';
import type { AuthorizeContext } from '../access/authorize.js';
import { AppError, unauthenticated } from '../errors.js';
import type { OriginPolicy } from '../middleware/origin.js';
import { readCookie, clearedSessionCookie, SESSION_COOKIE } from './cookie.js';
import type { SessionEnd, SessionStore } from './session.service.js';

/** Builds the actor of an active account for a session, or nothing when the account may not act. */
export type ActorLoader = (accountId: string, sessionHash: string) => Promise<Actor | undefined>;

/** What the session layer attaches to a request (HTTP or the socket handshake). */
export interface SessionContext {
  actor: Actor | undefined;
  csrfToken: string | undefined;
  /** Set when the browser presented a session that has just ended, to tell the officer why. */
  ended: SessionEnd | undefined;
}

declare module 'node:http' {
  interface IncomingMessage {
    /** Filled by the session middleware. */
    portalSession?: SessionContext;
  }
}

/** Where a request came from, for the audit log. */
export function requestOrigin(req: IncomingMessage & { ip?: string | undefined }): RequestOrigin {
  return {
    ip: req.ip ?? req.socket.remoteAddress,
    userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
  };
}

/**
 * Resolves the session cookie to the signed-in officer, on every request and socket handshake:
 * the session must be live and the account active. Works on plain Node requests, so Socket.IO's
 * engine can use it too.
 */
export function loadSession(sessions: SessionStore, actorFor: ActorLoader) {
  return async (req: IncomingMessage, res: { setHeader(name: string, value: string): unknown } | undefined, next: (error?: unknown) => void): Promise<void> => {
    const context: SessionContext = { actor: undefined, csrfToken: undefined, ended: undefined };
    req.portalSession = context;
    try {
      const sessionId = readCookie(req, SESSION_COOKIE);
      if (!sessionId) return next();
      const resolved = await sessions.resolve(sessionId);
      if ('ended' in resolved) {
        context.ended = resolved.ended;
        res?.setHeader('Set-Cookie', clearedSessionCookie());
        return next();
      }
      const actor = await actorFor(String(resolved.record.account), resolved.record._id);
      if (!actor) {
        await sessions.destroy(resolved.record._id);
        context.ended = 'missing';
        res?.setHeader('Set-Cookie', clearedSessionCookie());
        return next();
      }
      context.actor = actor;
      context.csrfToken = resolved.record.csrfToken;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The signed-in officer of a request, or a 401. */
export function actorOf(req: Request): Actor {
  const actor = req.portalSession?.actor;
  if (!actor) throw unauthenticated();
  return actor;
}

/** Requires a signed-in officer: API requests get 401, pages are sent to sign in and come back. */
export const requireSignIn: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (req.portalSession?.actor) return next();
  if (req.originalUrl.startsWith('/api/')) return next(unauthenticated());
  const reason = req.portalSession?.ended;
  const query = new URLSearchParams({ next: req.originalUrl.slice(0, 500), ...(reason ? { reason } : {}) });
  res.redirect(303, `/sign-in?${query.toString()}`);
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * Cross-site request forgery defence for every state-changing request: a browser Origin, when
 * sent, must be the portal's own; with a session, the X-CSRF-Token header must carry that
 * session's token. Without a session (sign-in, enrolment) the API takes only JSON bodies, which a
 * cross-site form cannot send.
 */
export function csrfProtection(isAllowedOrigin: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin)) {
      return next(new AppError(403, 'origin-refused', 'This request came from another site and was refused.'));
    }
    const expected = req.portalSession?.csrfToken;
    if (expected && !sameToken(expected, req.headers['x-csrf-token'])) {
      return next(new AppError(403, 'csrf-token-invalid', 'This page has expired. Reload it and try again.'));
    }
    next();
  };
}

/** The context a service needs to authorise and audit a request's actor. */
export function requestContext(req: Request, deps: { readonly audit: AuditSink }): AuthorizeContext {
  return { actor: actorOf(req), origin: requestOrigin(req), audit: deps.audit };
}
