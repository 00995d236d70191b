import { Router } from 'express';
import { formatFingerprint } from '../../crypto/client.js';
import { currentKey } from '../../sealed/keys/keys.service.js';
import { actorOf, requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { AuthService } from '../auth/auth.service.js';
import type { SessionStore } from '../../sessions/session.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface ProfileRouteDeps {
  readonly accounts: AccountsService;
  readonly auth: AuthService;
  readonly sessions: SessionStore;
  readonly audit: AuditSink;
}

/** The officer's own page: identity, place in the hierarchy, MFA recovery codes and open sessions. */
export function profileRoutes(services: ProfileRouteDeps): Router {
  const router = Router();

  router.get('/profile', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const [account, sessions, remainingCodes, key] = await Promise.all([
      services.accounts.get(requestContext(req, services), actor.userId),
      services.sessions.listFor(actor.userId),
      services.auth.remainingRecoveryCodes(actor.userId),
      currentKey(actor.userId),
    ]);
    res.render('profile/index', {
      title: 'Profile · Bharatpol Hub',
      page: 'profile',
      account,
      remainingCodes,
      fingerprint: key ? formatFingerprint(key.fingerprint) : undefined,
      keyCreatedAt: key?.createdAt.toISOString(),
      lowOnCodes: remainingCodes <= 3,
      sessions: sessions.map((session) => ({
        current: session._id === actor.sessionId,
        createdAt: session.createdAt.toISOString(),
        lastSeenAt: session.lastSeenAt.toISOString(),
        ip: session.ip ?? '',
        userAgent: session.userAgent ?? '',
      })),
    });
  });

  return router;
}
