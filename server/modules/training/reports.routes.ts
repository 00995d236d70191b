import { Router } from 'express';
import type { AuditSink } from '../../access/audit-event.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { barRows } from '../../shared/charts.js';
import { resourcesReport } from './reports.service.js';

/** The Resources report (library downloads and training per agency): its page and its JSON. */
export function resourcesReportRoutes(services: { readonly audit: AuditSink }): Router {
  const router = Router();
  router.use(['/resources/reports', '/api/library/reports'], requireSignIn);

  router.get('/resources/reports', async (req, res) => {
    const report = await resourcesReport(requestContext(req, services));
    res.render('resources/reports', {
      title: 'Reports · Resources · Bharatpol Hub',
      page: 'library-reports',
      totals: report.totals,
      downloadsPerItem: barRows(report.downloadsPerItem),
      downloadsPerAgency: barRows(report.downloadsPerAgency),
      trainingPerAgency: barRows(report.trainingPerAgency),
    });
  });

  router.get('/api/library/reports', async (req, res) => {
    res.json(await resourcesReport(requestContext(req, services)));
  });

  return router;
}
