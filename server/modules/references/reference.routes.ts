import { Router } from 'express';
import { z } from 'zod';
import type { AuditSink } from '../../access/audit-event.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { objectIdInput, parseInput } from '../../validation.js';
import { TARGET_STEPS } from './targets.js';
import { listQuery } from './reference.queries.js';
import {
  approveSchema,
  assignSchema,
  closeSchema,
  decisionSchema,
  draftSchema,
  foreignReminderSchema,
  forwardAgenciesSchema,
  registerSchema,
  replyAbroadSchema,
  replySchema,
  reportSchema,
  statementSchema,
  transmitSchema,
} from './reference.schema.js';
import type { ReferenceService } from './reference.service.js';
import type { BroadcastService } from '../broadcast/broadcast.service.js';

/** What these routes use of the portal's services. */
export interface ReferenceRouteDeps {
  readonly references: ReferenceService;
  /** To open a reference from a broadcast (its facts prefill the form). */
  readonly broadcasts: Pick<BroadcastService, 'open'>;
  readonly audit: AuditSink;
}

const targetsQuery = z.object({
  step: z.enum(TARGET_STEPS),
  ids: z
    .string()
    .max(2_000)
    .default('')
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(objectIdInput).max(60)),
});

const id = (params: Record<string, unknown>): string => (typeof params['referenceId'] === 'string' ? params['referenceId'] : '');

/** The References API: draft and hand on (units, ILOs, CBI), review, transmit abroad, record replies, close; the queues; each reference's discussion. */
export function referenceApiRoutes(services: ReferenceRouteDeps): Router {
  const router = Router();
  const references = services.references;
  router.use('/api/references', requireSignIn);

  router.get('/api/references', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await references.list(requestContext(req, services), parseInput(listQuery, req.query)));
  });
  router.post('/api/references', async (req, res) => {
    res.status(201).json(await references.draft(requestContext(req, services), parseInput(draftSchema, req.body)));
  });
  router.post('/api/references/incoming', async (req, res) => {
    res.status(201).json(await references.register(requestContext(req, services), parseInput(registerSchema, req.body)));
  });
  router.get('/api/references/:referenceId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await references.open(requestContext(req, services), id(req.params)));
  });
  router.post('/api/references/:referenceId/draft', async (req, res) => {
    res.json(await references.update(requestContext(req, services), id(req.params), parseInput(draftSchema, req.body)));
  });
  router.get('/api/references/:referenceId/targets', async (req, res) => {
    const { step, ids } = parseInput(targetsQuery, req.query);
    res.set('Cache-Control', 'no-store').json({ targets: await references.targets(requestContext(req, services), id(req.params), step, ids) });
  });
  router.post('/api/references/:referenceId/statement', async (req, res) => {
    res.json(await references.statement(requestContext(req, services), id(req.params), parseInput(statementSchema, req.body)));
  });
  router.post('/api/references/:referenceId/decisions', async (req, res) => {
    res.json(await references.decide(requestContext(req, services), id(req.params), parseInput(decisionSchema, req.body)));
  });
  router.post('/api/references/:referenceId/transmissions', async (req, res) => {
    res.json(await references.transmit(requestContext(req, services), id(req.params), parseInput(transmitSchema, req.body)));
  });
  router.post('/api/references/:referenceId/replies', async (req, res) => {
    res.status(201).json(await references.reply(requestContext(req, services), id(req.params), parseInput(replySchema, req.body)));
  });
  router.post('/api/references/:referenceId/close', async (req, res) => {
    res.json(await references.close(requestContext(req, services), id(req.params), parseInput(closeSchema, req.body)));
  });
  router.post('/api/references/:referenceId/discussion', async (req, res) => {
    res.json(await references.discussion(requestContext(req, services), id(req.params)));
  });
  // Incoming: the CBI forwards to agencies and answers abroad; ILOs assign and approve; units report.
  router.post('/api/references/:referenceId/agencies', async (req, res) => {
    res.json(await references.forwardToAgencies(requestContext(req, services), id(req.params), parseInput(forwardAgenciesSchema, req.body)));
  });
  router.post('/api/references/:referenceId/assignment', async (req, res) => {
    res.json(await references.assign(requestContext(req, services), id(req.params), parseInput(assignSchema, req.body)));
  });
  router.post('/api/references/:referenceId/reports', async (req, res) => {
    res.status(201).json(await references.report(requestContext(req, services), id(req.params), parseInput(reportSchema, req.body)));
  });
  router.post('/api/references/:referenceId/approval', async (req, res) => {
    res.json(await references.approve(requestContext(req, services), id(req.params), parseInput(approveSchema, req.body)));
  });
  router.post('/api/references/:referenceId/replies-abroad', async (req, res) => {
    res.json(await references.replyAbroad(requestContext(req, services), id(req.params), parseInput(replyAbroadSchema, req.body)));
  });
  router.post('/api/references/:referenceId/foreign-reminders', async (req, res) => {
    res.json(await references.foreignReminder(requestContext(req, services), id(req.params), parseInput(foreignReminderSchema, req.body)));
  });
  return router;
}
