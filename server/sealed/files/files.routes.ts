import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { guardMultipart } from '../../middleware/multipart.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { forwardSchema } from '../items/items.schema.js';
import { chunkIndexInput, createFileSchema } from './files.schema.js';
import { MAX_CHUNK_CIPHERTEXT_BYTES } from './files.service.js';
import type { FilesService } from './files.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface FilesRouteDeps {
  readonly files: FilesService;
  readonly audit: AuditSink;
}

/**
 * One encrypted chunk per request, held in memory (never a temporary file, so nothing is left on
 * disk whatever fails), refused past the chunk size limit.
 */
const chunkUpload: RequestHandler = guardMultipart(
  multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_CHUNK_CIPHERTEXT_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 20 },
  }).single('chunk'),
);

/** Encrypted files: announce, upload chunks, complete, read, forward. */
export function filesRoutes(services: FilesRouteDeps): Router {
  const router = Router();
  router.use('/api/files', requireSignIn);

  router.post('/api/files', async (req, res) => {
    res.status(201).json(await services.files.create(requestContext(req, services), parseInput(createFileSchema, req.body)));
  });

  router.put('/api/files/:fileId/chunks/:index', chunkUpload, async (req, res) => {
    const index = parseInput(chunkIndexInput, req.params['index']);
    res.json(await services.files.putChunk(requestContext(req, services), String(req.params['fileId'] ?? ''), index, req.file?.buffer));
  });

  router.post('/api/files/:fileId/complete', async (req, res) => {
    res.json(await services.files.complete(requestContext(req, services), req.params['fileId'] ?? ''));
  });

  router.get('/api/files/:fileId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await services.files.describe(requestContext(req, services), req.params['fileId'] ?? ''));
  });

  router.get('/api/files/:fileId/chunks/:index', async (req, res) => {
    const index = parseInput(chunkIndexInput, req.params['index']);
    const data = await services.files.chunk(requestContext(req, services), req.params['fileId'] ?? '', index);
    res
      .set({
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': 'attachment; filename="chunk.pgp"',
        'Cache-Control': 'private, no-store',
      })
      .send(data);
  });

  router.post('/api/files/:fileId/forwards', async (req, res) => {
    res.json(await services.files.forward(requestContext(req, services), req.params['fileId'] ?? '', parseInput(forwardSchema, req.body)));
  });

  return router;
}
