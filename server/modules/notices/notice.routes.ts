import { Router } from 'express';
import type { AuditSink } from '../../access/audit-event.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { listQuery } from './notice.queries.js';
import { decisionSchema, draftSchema, settingsSchema, statementSchema } from './notice.schema.js';
import type { NoticeService } from './notice.service.js';

/** What these routes use of the portal's services. */
export interface NoticeRouteDeps {
  readonly notices: NoticeService;
  readonly audit: AuditSink;
}

const id = (params: Record<string, unknown>): string => (typeof params['noticeId'] === 'string' ? params['noticeId'] : '');

/** The Notices API: draft, submit (with the signed check), review, record what the General Secretariat decided; lists; the check's settings. */
export function noticeApiRoutes(services: NoticeRouteDeps): Router {
  const router = Router();
  const { notices } = services;
  router.use('/api/notices', requireSignIn);

  router.get('/api/notices', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await notices.list(requestContext(req, services), parseInput(listQuery, req.query)));
  });
  router.post('/api/notices', async (req, res) => {
    res.status(201).json(await notices.draft(requestContext(req, services), parseInput(draftSchema, req.body)));
  });
  // Before /:noticeId, which would take "settings" for an id.
  router.get('/api/notices/settings', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await notices.checkSettings(requestContext(req, services)));
  });
  router.post('/api/notices/settings', async (req, res) => {
    res.json(await notices.updateSettings(requestContext(req, services), parseInput(settingsSchema, req.body)));
  });
  router.get('/api/notices/:noticeId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await notices.open(requestContext(req, services), id(req.params)));
  });
  router.post('/api/notices/:noticeId/draft', async (req, res) => {
    res.json(await notices.update(requestContext(req, services), id(req.params), parseInput(draftSchema, req.body)));
  });
  router.get('/api/notices/:noticeId/targets', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ targets: await notices.targets(requestContext(req, services), id(req.params)) });
  });
  router.post('/api/notices/:noticeId/statement', async (req, res) => {
    res.json(await notices.statement(requestContext(req, services), id(req.params), parseInput(statementSchema, req.body)));
  });
  router.post('/api/notices/:noticeId/decisions', async (req, res) => {
    res.json(await notices.decide(requestContext(req, services), id(req.params), parseInput(decisionSchema, req.body)));
  });
  return router;
}
