import { Router } from 'express';
import type { Database } from '../../db/connection.js';

/**
 * Liveness and readiness probes for the process supervisor and load balancer.
 * `/healthz` answers while the process runs; `/readyz` only while it can serve requests: the
 * database answers a ping and the process is not shutting down.
 */
export function healthRoutes(deps: { database: Database; isShuttingDown: () => boolean }): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });

  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (deps.isShuttingDown()) {
      res.status(503).json({ status: 'shutting-down' });
      return;
    }
    const databaseUp = await deps.database.ping();
    res.status(databaseUp ? 200 : 503).json({
      status: databaseUp ? 'ready' : 'database-unavailable',
      database: { kind: deps.database.capabilities.kind, reachable: databaseUp },
    });
  });

  return router;
}
