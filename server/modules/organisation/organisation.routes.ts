import { Router } from 'express';
import { can } from '../../access/policy.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { createAgencySchema, createUnitSchema, listUnitsQuery } from './organisation.schema.js';
import type { OrganisationService } from './organisation.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface OrganisationRouteDeps {
  readonly organisation: OrganisationService;
  readonly audit: AuditSink;
}

export const agencyTypeLabels = { ncb: 'NCB (CBI)', state: 'State police', 'union-territory': 'Union territory police', central: 'Central agency' };

/** Agencies and units: the admin pages (an agency's own page is the accounts module's) and their JSON API. */
export function organisationRoutes(services: OrganisationRouteDeps): Router {
  const router = Router();
  router.use(['/admin', '/api/agencies'], requireSignIn);

  router.get('/admin/agencies', async (req, res) => {
    const context = requestContext(req, services);
    const agencies = await services.organisation.visibleAgencies(context);
    if (agencies.length === 1 && !can(context.actor, 'agency:create')) {
      res.redirect(303, `/admin/agencies/${String(agencies[0]?._id)}`);
      return;
    }
    res.render('organisation/agencies', {
      title: 'Agencies · Bharatpol Hub',
      page: 'admin',
      canCreate: can(context.actor, 'agency:create'),
      agencies: agencies.map((agency) => ({
        id: String(agency._id),
        code: agency.code,
        name: agency.name,
        typeLabel: agencyTypeLabels[agency.type],
        region: agency.region,
      })),
    });
  });

  router.post('/api/agencies', async (req, res) => {
    const input = parseInput(createAgencySchema, req.body);
    const agency = await services.organisation.createAgency(requestContext(req, services), input);
    res.status(201).json({ id: String(agency._id), code: agency.code, name: agency.name, type: agency.type });
  });

  router.post('/api/agencies/:agencyId/units', async (req, res) => {
    const input = parseInput(createUnitSchema, req.body);
    const unit = await services.organisation.createUnit(requestContext(req, services), req.params['agencyId'] ?? '', input);
    res.status(201).json({ id: String(unit._id), code: unit.code, name: unit.name, kind: unit.kind });
  });

  router.get('/api/agencies/:agencyId/units', async (req, res) => {
    const query = parseInput(listUnitsQuery, req.query);
    const { units, totalUnits } = await services.organisation.agencyWithUnits(requestContext(req, services), req.params['agencyId'] ?? '', query);
    res.json({
      units: units.map((unit) => ({ id: String(unit._id), code: unit.code, name: unit.name, kind: unit.kind, city: unit.city })),
      total: totalUnits,
      page: query.page,
    });
  });

  return router;
}
