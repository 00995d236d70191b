import { Router } from 'express';
import { signInRateLimit } from '../../middleware/rate-limit.js';
import { clearedSessionCookie, sessionCookie } from '../../sessions/cookie.js';
import { actorOf, requestContext, requestOrigin, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { enrolmentCompleteSchema, enrolmentLookupSchema, kdfRequestSchema, recoveryCodesSchema, signInSchema } from './auth.schema.js';
import type { AuthService } from './auth.service.js';
import type { Config } from '../../config.js';
import type { EnrolmentService } from './enrolment.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface AuthRouteDeps {
  readonly auth: AuthService;
  readonly config: Config;
  readonly enrolment: EnrolmentService;
  readonly audit: AuditSink;
}

/** Where to go after signing in: only a path on this site, never another origin. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}

const endedReasons: Record<string, string> = {
  idle: 'Your session was locked after a period of inactivity. Sign in again to continue.',
  expired: 'Your session reached its time limit. Sign in again to continue.',
  missing: 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You have signed out.',
};

/** Sign-in, sign-out, enrolment and recovery codes. */
export function authRoutes(services: AuthRouteDeps): Router {
  const router = Router();
  const limited = signInRateLimit(services.config.signInRateLimitPerMinute);

  router.get('/sign-in', (req, res) => {
    if (req.portalSession?.actor) {
      res.redirect(303, safeNext(req.query['next']));
      return;
    }
    const reason = typeof req.query['reason'] === 'string' ? endedReasons[req.query['reason']] : undefined;
    res.render('auth/sign-in', { title: 'Sign in · Bharatpol Hub', page: 'sign-in', next: safeNext(req.query['next']), reason });
  });

  router.post('/api/auth/kdf', limited, async (req, res) => {
    const { username } = parseInput(kdfRequestSchema, req.body);
    res.set('Cache-Control', 'no-store').json(await services.auth.kdfParameters(username));
  });

  router.post('/api/auth/sign-in', limited, async (req, res) => {
    const input = parseInput(signInSchema, req.body);
    const { sessionId, account } = await services.auth.signIn(input, requestOrigin(req));
    res.setHeader('Set-Cookie', sessionCookie(sessionId));
    res.set('Cache-Control', 'no-store').json({ id: String(account._id), username: account.username, displayName: account.displayName });
  });

  router.post('/api/auth/sign-out', requireSignIn, async (req, res) => {
    await services.auth.signOut(actorOf(req), requestOrigin(req));
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.json({ signedOut: true });
  });

  router.get('/enrol', (_req, res) => {
    res.render('auth/enrol', { title: 'Enrol · Bharatpol Hub', page: 'enrol' });
  });

  router.post('/api/enrolment/lookup', limited, async (req, res) => {
    const { token } = parseInput(enrolmentLookupSchema, req.body);
    res.set('Cache-Control', 'no-store').json(await services.enrolment.offer(token));
  });

  router.post('/api/enrolment/complete', limited, async (req, res) => {
    const input = parseInput(enrolmentCompleteSchema, req.body);
    res.set('Cache-Control', 'no-store').json(await services.enrolment.complete(input, requestOrigin(req)));
  });

  router.post('/api/me/recovery-codes', requireSignIn, async (req, res) => {
    const { code } = parseInput(recoveryCodesSchema, req.body);
    const context = requestContext(req, services);
    res.set('Cache-Control', 'no-store').json({ recoveryCodes: await services.auth.regenerateRecoveryCodes(context.actor, code, context.origin) });
  });

  return router;
}
