import { Router } from 'express';
import { ROLE_LABELS, ROLES } from '../../access/roles.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { directoryQuery } from './directory.schema.js';
import { searchDirectory } from './directory.service.js';
import type { OrganisationService } from '../organisation/organisation.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface DirectoryRouteDeps {
  readonly organisation: OrganisationService;
  readonly audit: AuditSink;
}

/** The directory of officers and units: a page that works without script, and its JSON twin. */
export function directoryRoutes(services: DirectoryRouteDeps): Router {
  const router = Router();
  router.use(['/directory', '/api/directory'], requireSignIn);

  router.get('/directory', async (req, res) => {
    const context = requestContext(req, services);
    const query = parseInput(directoryQuery, req.query);
    const result = await searchDirectory(context, query);
    const agencies = await services.organisation.visibleAgencies(context);
    const link = (page: number): string => {
      const params = new URLSearchParams();
      if (query.q) params.set('q', query.q);
      if (query.agencyId) params.set('agencyId', query.agencyId);
      if (query.role) params.set('role', query.role);
      params.set('page', String(page));
      return `/directory?${params.toString()}`;
    };
    res.render('directory/index', {
      title: 'Directory · Bharatpol Hub',
      page: 'directory',
      query,
      result: { ...result, officers: result.officers.map((officer) => ({ ...officer, keyVerified: officer.keyStatus === 'verified' })) },
      searched: Boolean(query.q || query.agencyId || query.role),
      agencies: agencies.map((agency) => ({ id: String(agency._id), name: agency.name, selected: String(agency._id) === query.agencyId })),
      roles: ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], selected: role === query.role })),
      previousLink: result.page > 1 ? link(result.page - 1) : undefined,
      nextLink: result.page < result.pages ? link(result.page + 1) : undefined,
    });
  });

  router.get('/api/directory', async (req, res) => {
    res.json(await searchDirectory(requestContext(req, services), parseInput(directoryQuery, req.query)));
  });

  return router;
}
