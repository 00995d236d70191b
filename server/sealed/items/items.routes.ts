import { Router } from 'express';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { createItemSchema, forwardSchema, listItemsQuery } from './items.schema.js';
import { createItem, forwardItem, listItems, readItem } from './items.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface ItemsRouteDeps {
  readonly audit: AuditSink;
}

/** End-to-end encrypted items: store, read, list and forward ciphertext. */
export function itemsRoutes(services: ItemsRouteDeps): Router {
  const router = Router();
  router.use('/api/items', requireSignIn);

  router.post('/api/items', async (req, res) => {
    res.status(201).json(await createItem(requestContext(req, services), parseInput(createItemSchema, req.body)));
  });

  router.get('/api/items', async (req, res) => {
    const query = parseInput(listItemsQuery, req.query);
    res.set('Cache-Control', 'no-store').json({ items: await listItems(requestContext(req, services), query.group, query.before) });
  });

  router.get('/api/items/:itemId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await readItem(requestContext(req, services), req.params['itemId'] ?? ''));
  });

  router.post('/api/items/:itemId/forwards', async (req, res) => {
    res.json(await forwardItem(requestContext(req, services), req.params['itemId'] ?? '', parseInput(forwardSchema, req.body)));
  });

  return router;
}
