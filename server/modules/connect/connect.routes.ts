import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { openDirect } from './channel-members.js';
import { directSchema } from './connect.schema.js';
import type { ConnectService } from './connect.service.js';
import type { AuditSink } from '../../access/audit-event.js';
import { channelRoom, type AudienceNotifier } from '../../realtime/audience.js';
import { accountRoom } from '../../realtime/terminator.js';
import { directCandidates } from './direct-candidates.js';

/** What these routes use of the portal's services. */
export interface ConnectRouteDeps {
  readonly connect: ConnectService;
  readonly audit: AuditSink;
  readonly notifier: AudienceNotifier;
}

const candidatesQuery = z.object({ q: z.string().max(100).default('') });

const historyQuery = z.object({
  beforeSeq: z.coerce.number().int().min(1).optional(),
  threadRoot: z.coerce.number().int().min(1).optional(),
});

/** Connect over HTTP: the chat page, the channel list, direct conversations and history. */
export function connectRoutes(services: ConnectRouteDeps): Router {
  const router = Router();
  router.use(['/connect', '/api/channels'], requireSignIn);

  router.get('/connect', (_req, res) => {
    res.render('connect/index', { title: 'Connect · Bharatpol Hub', page: 'connect', wide: true });
  });

  router.get('/api/channels', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ channels: await services.connect.list(actorOf(req)) });
  });

  router.get('/api/channels/direct/candidates', async (req, res) => {
    const { q } = parseInput(candidatesQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await directCandidates(actorOf(req), q));
  });

  router.post('/api/channels/direct', async (req, res) => {
    const { accountId } = parseInput(directSchema, req.body);
    const channel = await openDirect(actorOf(req), accountId);
    const id = String(channel._id);
    // Both officers' open pages (any tab, any process) follow the conversation from now on.
    const rooms = [actorOf(req).userId, accountId].map(accountRoom);
    services.notifier.joinRoom(rooms, channelRoom(id));
    services.notifier.notifyRooms(rooms, 'channel:added', { channel: id });
    res.json({ id, group: `channel:${id}` });
  });

  router.get('/api/channels/:channelId/messages', async (req, res) => {
    const query = parseInput(historyQuery, req.query);
    const page = await services.connect.history(requestContext(req, services), { channel: req.params['channelId'] ?? '', ...query });
    res.set('Cache-Control', 'no-store').json(page);
  });

  router.get('/api/channels/:channelId/receipts', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ receipts: await services.connect.receipts(requestContext(req, services), req.params['channelId'] ?? '') });
  });

  return router;
}
