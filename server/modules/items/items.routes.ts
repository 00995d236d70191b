import { Router } from 'express';
import { contextOf, type Services } from '../../services.js';
import { requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { createItemSchema, forwardSchema, listItemsQuery } from './items.schema.js';
import { createItem, forwardItem, listItems, readItem } from './items.service.js';

/** End-to-end encrypted items: store, read, list and forward ciphertext. */
export function itemsRoutes(services: Services): Router {
  const router = Router();
  router.use('/api/items', requireSignIn);

  router.post('/api/items', async (req, res) => {
    res.status(201).json(await createItem(contextOf(req, services), parseInput(createItemSchema, req.body)));
  });

  router.get('/api/items', async (req, res) => {
    const query = parseInput(listItemsQuery, req.query);
    res.set('Cache-Control', 'no-store').json({ items: await listItems(contextOf(req, services), query.group, query.before) });
  });

  router.get('/api/items/:itemId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await readItem(contextOf(req, services), req.params['itemId'] ?? ''));
  });

  router.post('/api/items/:itemId/forwards', async (req, res) => {
    res.json(await forwardItem(contextOf(req, services), req.params['itemId'] ?? '', parseInput(forwardSchema, req.body)));
  });

  return router;
}
