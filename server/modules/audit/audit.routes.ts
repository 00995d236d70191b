import { Router } from 'express';
import { authorize } from '../../access/authorize.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { auditQuery } from './audit.schema.js';
import { listAuditRecords, verifyAuditChain } from './audit.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface AuditRouteDeps {
  readonly audit: AuditSink;
}

/** The audit log for auditors: a filterable page, its JSON twin, and a chain check. */
export function auditRoutes(services: AuditRouteDeps): Router {
  const router = Router();
  router.use(['/audit', '/api/audit'], requireSignIn);

  router.get('/audit', async (req, res) => {
    const query = parseInput(auditQuery, req.query);
    const { records, nextBefore } = await listAuditRecords(requestContext(req, services), query);
    const params = new URLSearchParams();
    for (const key of ['action', 'username', 'outcome'] as const) if (query[key]) params.set(key, String(query[key]));
    if (query.from) params.set('from', query.from.toISOString().slice(0, 10));
    if (query.to) params.set('to', query.to.toISOString().slice(0, 10));
    const olderParams = new URLSearchParams(params);
    if (nextBefore) olderParams.set('before', String(nextBefore));
    res.render('audit/index', {
      title: 'Audit log · Bharatpol Hub',
      page: 'audit',
      query: {
        ...query,
        from: query.from?.toISOString().slice(0, 10) ?? '',
        to: query.to?.toISOString().slice(0, 10) ?? '',
      },
      outcomes: ['success', 'failure', 'denied'].map((value) => ({ value, selected: value === query.outcome })),
      records,
      olderLink: nextBefore ? `/audit?${olderParams.toString()}` : undefined,
      newestLink: query.before ? `/audit?${params.toString()}` : undefined,
    });
  });

  router.get('/api/audit', async (req, res) => {
    res.json(await listAuditRecords(requestContext(req, services), parseInput(auditQuery, req.query)));
  });

  router.post('/api/audit/verify', async (req, res) => {
    await authorize(requestContext(req, services), 'audit:read');
    res.json(await verifyAuditChain());
  });

  return router;
}
