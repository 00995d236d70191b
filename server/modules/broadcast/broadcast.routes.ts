import { create as contentDisposition } from 'content-disposition';
import { Router } from 'express';
import { contextOf, type Services } from '../../services.js';
import { requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import {
  acknowledgeSchema,
  answerSchema,
  closeSchema,
  composeSchema,
  deliveredSchema,
  disseminateSchema,
  listQuery,
  reviewSchema,
  sendSchema,
  statementQuery,
  transmissionSchema,
} from './broadcast.schema.js';
import { trackingCsv } from './broadcast.presenter.js';

const id = (params: Record<string, string | undefined>): string => params['broadcastId'] ?? '';

/** The Broadcast API: compose, review and send (desk); receive, acknowledge, pass on and answer (agencies); track. */
export function broadcastApiRoutes(services: Services): Router {
  const router = Router();
  const broadcasts = services.broadcasts;
  router.use('/api/broadcasts', requireSignIn);

  router.get('/api/broadcasts', async (req, res) => {
    const context = contextOf(req, services);
    const query = parseInput(listQuery, req.query);
    const desk = context.actor.role === 'ncb-officer' || context.actor.role === 'ncb-admin';
    res.set('Cache-Control', 'no-store').json(desk ? await broadcasts.outbox(context, query) : await broadcasts.inbox(context, query));
  });

  router.post('/api/broadcasts', async (req, res) => {
    res.status(201).json(await broadcasts.compose(contextOf(req, services), parseInput(composeSchema, req.body)));
  });

  router.post('/api/broadcasts/delivered', async (req, res) => {
    res.json(await broadcasts.markDelivered(contextOf(req, services), parseInput(deliveredSchema, req.body).ids));
  });

  router.get('/api/broadcasts/:broadcastId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await broadcasts.open(contextOf(req, services), id(req.params)));
  });

  router.post('/api/broadcasts/:broadcastId/draft', async (req, res) => {
    res.json(await broadcasts.update(contextOf(req, services), id(req.params), parseInput(composeSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/submit', async (req, res) => {
    res.json(await broadcasts.submit(contextOf(req, services), id(req.params)));
  });

  router.get('/api/broadcasts/:broadcastId/recipients', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ recipients: await broadcasts.recipientKeys(contextOf(req, services), id(req.params)) });
  });

  router.post('/api/broadcasts/:broadcastId/review', async (req, res) => {
    res.json(await broadcasts.review(contextOf(req, services), id(req.params), parseInput(reviewSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/send', async (req, res) => {
    res.json(await broadcasts.send(contextOf(req, services), id(req.params), parseInput(sendSchema, req.body)));
  });

  router.get('/api/broadcasts/:broadcastId/statement', async (req, res) => {
    const { signedAt } = parseInput(statementQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await broadcasts.statementFor(contextOf(req, services), id(req.params), signedAt));
  });

  router.post('/api/broadcasts/:broadcastId/acknowledgements', async (req, res) => {
    res.status(201).json(await broadcasts.acknowledge(contextOf(req, services), id(req.params), parseInput(acknowledgeSchema, req.body)));
  });

  router.get('/api/broadcasts/:broadcastId/units', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ units: await broadcasts.unitKeys(contextOf(req, services), id(req.params)) });
  });

  router.post('/api/broadcasts/:broadcastId/disseminations', async (req, res) => {
    res.status(201).json(await broadcasts.disseminate(contextOf(req, services), id(req.params), parseInput(disseminateSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/reports', async (req, res) => {
    res.status(201).json(await broadcasts.report(contextOf(req, services), id(req.params), parseInput(answerSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/response', async (req, res) => {
    res.status(201).json(await broadcasts.respond(contextOf(req, services), id(req.params), parseInput(answerSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/status', async (req, res) => {
    res.json(await broadcasts.close(contextOf(req, services), id(req.params), parseInput(closeSchema, req.body).status));
  });

  router.post('/api/broadcasts/:broadcastId/transmissions', async (req, res) => {
    res.status(201).json(await broadcasts.transmit(contextOf(req, services), id(req.params), parseInput(transmissionSchema, req.body)));
  });

  router.get('/api/broadcasts/:broadcastId/tracking', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ rows: await broadcasts.tracking(contextOf(req, services), id(req.params)) });
  });

  router.get('/api/broadcasts/:broadcastId/tracking.csv', async (req, res) => {
    const context = contextOf(req, services);
    const rows = await broadcasts.tracking(context, id(req.params));
    await context.audit.record({ action: 'broadcast.tracking-exported', outcome: 'success', actor: context.actor, origin: context.origin, target: { type: 'broadcast', id: id(req.params) } });
    res
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`broadcast-${id(req.params)}-tracking.csv`),
        'Cache-Control': 'no-store',
      })
      .send(trackingCsv(rows));
  });

  return router;
}
