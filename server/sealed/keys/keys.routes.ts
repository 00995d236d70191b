import { Router } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import { deny, recordSuccess } from '../../access/authorize.js';
import { directoryAgencies } from '../../access/policy.js';
import { notFound } from '../../errors.js';
import { actorOf, requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { directory } from '../directory.js';
import { currentKey, keyByFingerprint, keysOf, markVerified } from './keys.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface KeysRouteDeps {
  readonly audit: AuditSink;
}

const fingerprintInput = z.object({ fingerprint: z.string().trim().toLowerCase().regex(/^[0-9a-f]{40,64}$/, 'must be a key fingerprint') });

/** Officers' public keys, the caller's own protected key, and fingerprint verification. */
export function keysRoutes(services: KeysRouteDeps): Router {
  const router = Router();
  router.use(['/api/me/key', '/api/officers', '/api/keys'], requireSignIn);

  router.get('/api/me/key', async (req, res) => {
    const key = await currentKey(actorOf(req).userId);
    if (!key) throw notFound('key');
    res.set('Cache-Control', 'no-store').json({
      fingerprint: key.fingerprint,
      publicKey: key.publicKey,
      encryptedPrivateKey: key.encryptedPrivateKey,
    });
  });

  /** A colleague's keys, for those who may see the colleague in the directory. */
  router.get('/api/officers/:accountId/keys', async (req, res) => {
    const context = requestContext(req, services);
    const subjectId = req.params['accountId'] ?? '';
    const [subject] = mongoose.isValidObjectId(subjectId) ? await directory().accounts([subjectId]) : [];
    if (!subject) throw notFound('account');
    const scope = directoryAgencies(context.actor, await directory().cbiAgencyId());
    if (subjectId !== context.actor.userId && scope !== 'all' && !scope.includes(subject.agency)) {
      return deny(context, 'key:read', { type: 'account', id: subjectId });
    }
    res.json({ keys: await keysOf(context.actor, subjectId) });
  });

  router.post('/api/officers/:accountId/verification', async (req, res) => {
    const { fingerprint } = parseInput(fingerprintInput, req.body);
    const context = requestContext(req, services);
    const subjectId = req.params['accountId'] ?? '';
    if (!mongoose.isValidObjectId(subjectId)) throw notFound('account');
    await markVerified(context.actor, subjectId, fingerprint);
    await recordSuccess(context, 'key.verified', { type: 'account', id: subjectId, label: fingerprint });
    res.json({ verified: true });
  });

  /** A key by fingerprint, to verify the author of something the caller can read. */
  router.get('/api/keys/:fingerprint', async (req, res) => {
    const { fingerprint } = parseInput(fingerprintInput, { fingerprint: req.params['fingerprint'] });
    const key = await keyByFingerprint(fingerprint);
    const [account] = await directory().accounts([String(key.account)]);
    res.json({
      fingerprint: key.fingerprint,
      publicKey: key.publicKey,
      current: !key.retiredAt,
      account: account ? { id: account.id, username: account.username, displayName: account.displayName } : undefined,
    });
  });

  return router;
}
