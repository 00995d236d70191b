import { Router } from 'express';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { createEpochSchema, shareEnvelopesSchema } from './groups.schema.js';
import { currentKey } from '../keys/keys.service.js';
import { groupsOf } from './group-catalogue.js';
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

  /**
   * The groups the officer belongs to, for their browser to keep each one's key ready (any page),
   * and whether they have a key of their own to do it with.
   */
  router.get('/api/me/groups', requireSignIn, async (req, res) => {
    const { actor } = requestContext(req, services);
    const [groups, key] = await Promise.all([groupsOf(actor), currentKey(actor.userId)]);
    res.set('Cache-Control', 'no-store').json({ groups, keyed: Boolean(key) });
  });

  router.get('/api/groups/:groupId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await groupState(requestContext(req, services), req.params['groupId'] ?? ''));
  });

  router.post('/api/groups/:groupId/epochs', async (req, res) => {
    const input = parseInput(createEpochSchema, req.body);
    const answer = await createEpoch(requestContext(req, services), req.params['groupId'] ?? '', input);
    res.status(answer.started ? 201 : 200).json(answer);
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
