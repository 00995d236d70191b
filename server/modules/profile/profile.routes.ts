import { Router } from 'express';
import type { Services } from '../../services.js';
import { actorOf, requireSignIn } from '../../sessions/session.middleware.js';
import { contextOf } from '../../services.js';

/** The officer's own page: identity, place in the hierarchy, MFA recovery codes and open sessions. */
export function profileRoutes(services: Services): Router {
  const router = Router();

  router.get('/profile', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const [account, sessions, remainingCodes] = await Promise.all([
      services.accounts.get(contextOf(req, services), actor.userId),
      services.sessions.listFor(actor.userId),
      services.auth.remainingRecoveryCodes(actor.userId),
    ]);
    res.render('profile/index', {
      title: 'Profile · Bharatpol Hub',
      page: 'profile',
      account,
      remainingCodes,
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
