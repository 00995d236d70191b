import { Router } from 'express';
import type { AuditSink } from '../../access/audit-event.js';
import { can } from '../../access/policy.js';
import { ROLE_LABELS, ROLES } from '../../access/roles.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { agencyTypeLabels } from '../organisation/organisation.routes.js';
import { listUnitsQuery, UNIT_KINDS } from '../organisation/organisation.schema.js';
import { agencyResource, UNITS_PAGE_SIZE, type OrganisationService } from '../organisation/organisation.service.js';
import type { AccountsService } from './accounts.service.js';

/** What the agency page uses of the portal's services. */
export interface AgencyPageRouteDeps {
  readonly accounts: AccountsService;
  readonly organisation: OrganisationService;
  readonly audit: AuditSink;
}

/**
 * An agency's administration page: its units (from the organisation module) and its officers
 * with what the viewer may do to each. It lives with the accounts, above the organisation.
 */
export function agencyPageRoutes(services: AgencyPageRouteDeps): Router {
  const router = Router();
  router.use('/admin', requireSignIn);

  router.get('/admin/agencies/:agencyId', async (req, res) => {
    const context = requestContext(req, services);
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

  return router;
}
