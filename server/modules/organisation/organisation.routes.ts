import { Router } from 'express';
import { can } from '../../access/policy.js';
import { ROLE_LABELS, ROLES } from '../../access/roles.js';
import { contextOf, type Services } from '../../services.js';
import { requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { UNIT_KINDS } from './organisation.model.js';
import { createAgencySchema, createUnitSchema, listUnitsQuery } from './organisation.schema.js';
import { agencyResource, UNITS_PAGE_SIZE } from './organisation.service.js';

const agencyTypeLabels = { ncb: 'NCB (CBI)', state: 'State police', 'union-territory': 'Union territory police', central: 'Central agency' };

/** Agencies and units: the admin pages and their JSON API. */
export function organisationRoutes(services: Services): Router {
  const router = Router();
  router.use(['/admin', '/api/agencies'], requireSignIn);

  router.get('/admin/agencies', async (req, res) => {
    const context = contextOf(req, services);
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
    const agency = await services.organisation.createAgency(contextOf(req, services), input);
    res.status(201).json({ id: String(agency._id), code: agency.code, name: agency.name, type: agency.type });
  });

  router.get('/admin/agencies/:agencyId', async (req, res) => {
    const context = contextOf(req, services);
    const query = parseInput(listUnitsQuery, req.query);
    const { agency, units, totalUnits } = await services.organisation.agencyWithUnits(context, req.params['agencyId'] ?? '', query);
    const accounts = await services.accounts.listForAgency(context, String(agency._id));
    const resource = agencyResource(agency);
    const creatableRoles = ROLES.filter((role) =>
      can(context.actor, 'account:create', { kind: 'account', role, agencyId: resource.agencyId, agencyType: resource.agencyType, unitId: role === 'uo' ? 'unit' : undefined }),
    );
    const pages = Math.max(1, Math.ceil(totalUnits / UNITS_PAGE_SIZE));
    res.render('organisation/agency', {
      title: `${agency.name} · Bharatpol Hub`,
      page: 'admin',
      agency: { id: String(agency._id), code: agency.code, name: agency.name, typeLabel: agencyTypeLabels[agency.type], region: agency.region },
      units: units.map((unit) => ({ id: String(unit._id), code: unit.code, name: unit.name, kind: unit.kind, city: unit.city })),
      allUnitsForPicker: creatableRoles.includes('uo'),
      totalUnits,
      q: query.q ?? '',
      pagination: { page: query.page, pages, previous: query.page > 1 ? query.page - 1 : undefined, next: query.page < pages ? query.page + 1 : undefined },
      canCreateUnit: can(context.actor, 'unit:create', resource),
      unitKinds: UNIT_KINDS,
      creatableRoles: creatableRoles.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
      accounts: accounts.map((account) => ({
        ...account,
        canLock: account.status === 'active',
        canUnlock: account.status === 'locked',
        canDisable: account.status !== 'disabled',
        manageable: can(context.actor, 'account:manage', {
          kind: 'account',
          accountId: account.id,
          role: account.role,
          agencyId: resource.agencyId,
          agencyType: resource.agencyType,
          unitId: account.unit?.id,
        }),
      })),
    });
  });

  router.post('/api/agencies/:agencyId/units', async (req, res) => {
    const input = parseInput(createUnitSchema, req.body);
    const unit = await services.organisation.createUnit(contextOf(req, services), req.params['agencyId'] ?? '', input);
    res.status(201).json({ id: String(unit._id), code: unit.code, name: unit.name, kind: unit.kind });
  });

  router.get('/api/agencies/:agencyId/units', async (req, res) => {
    const query = parseInput(listUnitsQuery, req.query);
    const { units, totalUnits } = await services.organisation.agencyWithUnits(contextOf(req, services), req.params['agencyId'] ?? '', query);
    res.json({
      units: units.map((unit) => ({ id: String(unit._id), code: unit.code, name: unit.name, kind: unit.kind, city: unit.city })),
      total: totalUnits,
      page: query.page,
    });
  });

  return router;
}
