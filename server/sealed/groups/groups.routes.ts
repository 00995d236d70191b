import { Router } from 'express';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { createEpochSchema, shareEnvelopesSchema } from './groups.schema.js';
import { createEpoch, forwardTarget, groupState, shareEnvelopes } from './groups.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface GroupsRouteDeps {
  readonly audit: AuditSink;
}

/** Group keys: state for members, new epochs, envelope sharing, and public keys for forwarding. */
export function groupsRoutes(services: GroupsRouteDeps): Router {
  const router = Router();
  router.use('/api/groups', requireSignIn);

  router.get('/api/groups/:groupId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await groupState(requestContext(req, services), req.params['groupId'] ?? ''));
  });

  router.post('/api/groups/:groupId/epochs', async (req, res) => {
    const input = parseInput(createEpochSchema, req.body);
    res.status(201).json(await createEpoch(requestContext(req, services), req.params['groupId'] ?? '', input));
  });

  router.post('/api/groups/:groupId/envelopes', async (req, res) => {
    const input = parseInput(shareEnvelopesSchema, req.body);
    res.json(await shareEnvelopes(requestContext(req, services), req.params['groupId'] ?? '', input));
  });

  router.get('/api/groups/:groupId/public-key', async (req, res) => {
    const { group, epoch } = await forwardTarget(requestContext(req, services), req.params['groupId'] ?? '');
    res.json({ group: group.id, epoch: epoch.epoch, publicKey: epoch.publicKey, fingerprint: epoch.fingerprint });
  });

  return router;
}
