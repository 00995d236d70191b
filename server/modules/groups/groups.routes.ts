import { Router } from 'express';
import { contextOf, type Services } from '../../services.js';
import { requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { createEpochSchema, shareEnvelopesSchema } from './groups.schema.js';
import { createEpoch, forwardTarget, groupState, shareEnvelopes } from './groups.service.js';

/** Group keys: state for members, new epochs, envelope sharing, and public keys for forwarding. */
export function groupsRoutes(services: Services): Router {
  const router = Router();
  router.use('/api/groups', requireSignIn);

  router.get('/api/groups/:groupId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await groupState(contextOf(req, services), req.params['groupId'] ?? ''));
  });

  router.post('/api/groups/:groupId/epochs', async (req, res) => {
    const input = parseInput(createEpochSchema, req.body);
    res.status(201).json(await createEpoch(contextOf(req, services), req.params['groupId'] ?? '', input));
  });

  router.post('/api/groups/:groupId/envelopes', async (req, res) => {
    const input = parseInput(shareEnvelopesSchema, req.body);
    res.json(await shareEnvelopes(contextOf(req, services), req.params['groupId'] ?? '', input));
  });

  router.get('/api/groups/:groupId/public-key', async (req, res) => {
    const { group, epoch } = await forwardTarget(contextOf(req, services), req.params['groupId'] ?? '');
    res.json({ group: group.id, epoch: epoch.epoch, publicKey: epoch.publicKey, fingerprint: epoch.fingerprint });
  });

  return router;
}
