import { Router, type Request } from 'express';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { accountActionSchema, createAccountSchema } from './accounts.schema.js';
import type { AccountsService } from './accounts.service.js';
import type { Config } from '../../config.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface AccountsRouteDeps {
  readonly accounts: AccountsService;
  readonly config: Config;
  readonly audit: AuditSink;
}

/** The absolute enrolment link for a token; the token travels in the fragment, which never reaches a server log. */
export function enrolmentLink(services: AccountsRouteDeps, req: Request, token: string): string {
  const origin = services.config.publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${origin}/enrol#${token}`;
}

/** Account onboarding and administration (JSON API; the pages live with the agency pages). */
export function accountsRoutes(services: AccountsRouteDeps): Router {
  const router = Router();
  router.use('/api/accounts', requireSignIn);

  router.post('/api/accounts', async (req, res) => {
    const input = parseInput(createAccountSchema, req.body);
    const { account, enrolment } = await services.accounts.create(requestContext(req, services), input);
    res.status(201).set('Cache-Control', 'no-store').json({
      account,
      enrolmentLink: enrolmentLink(services, req, enrolment.token),
      enrolmentExpiresAt: enrolment.expiresAt.toISOString(),
    });
  });

  router.get('/api/accounts/:accountId', async (req, res) => {
    res.json(await services.accounts.get(requestContext(req, services), req.params['accountId'] ?? ''));
  });

  router.post('/api/accounts/:accountId/actions', async (req, res) => {
    const { action } = parseInput(accountActionSchema, req.body);
    const result = await services.accounts.act(requestContext(req, services), req.params['accountId'] ?? '', action);
    res.set('Cache-Control', 'no-store').json({
      account: result.account,
      ...(result.enrolment
        ? { enrolmentLink: enrolmentLink(services, req, result.enrolment.token), enrolmentExpiresAt: result.enrolment.expiresAt.toISOString() }
        : {}),
    });
  });

  return router;
}
