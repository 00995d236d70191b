import { Router } from 'express';
import { authorize } from '../../access/authorize.js';
import { can, DESK_ROLES } from '../../access/policy.js';
import { ROLE_LABELS, type Role } from '../../access/roles.js';
import { accountsByIds } from '../accounts/account-lookups.js';
import { AppError, forbidden } from '../../errors.js';
import { formatDay } from '../../shared/dates.js';
import { optionsOf } from '../../shared/options.js';
import { CRIME_AREA_LABELS } from '../../shared/vocabulary/crime-areas.js';
import { INFORMATION_LABELS, SOURCE_LABELS } from '../../shared/vocabulary/grading.js';
import { HANDLING_LABELS } from '../../shared/vocabulary/handling.js';
import { PRIORITY_LABELS } from '../../shared/vocabulary/priorities.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { partnerAgencies, unitsOfAgency } from '../organisation/organisation.lookups.js';
import { groupOfDesk, originOf } from '../../workflow/desk-groups.js';
import { listQuery, type Queue } from './reference.queries.js';
import type { ReferenceRouteDeps } from './reference.routes.js';
import { ASSISTANCE_LABELS, STATUS_LABELS, type Direction } from './reference.schema.js';

const QUEUE_LABELS: Record<Queue, string> = { desk: 'At my desk', unit: 'My unit’s', agency: 'My agency’s', national: 'All (national)' };
const STEP_LABELS: Record<string, string> = {
  submitted: 'Submitted',
  forwarded: 'Forwarded to the CBI',
  returned: 'Returned for correction',
  rejected: 'Rejected',
  transmitted: 'Transmitted abroad',
  replied: 'Reply recorded',
  'interim-reply': 'Interim reply recorded',
  closed: 'Closed',
  'follow-up': 'Follow-up asked',
  'forwarded-to-agencies': 'Forwarded to agencies',
  assigned: 'Assigned to a unit',
  'unit-reported': 'Unit’s report sent to the ILO',
  'ilo-reported': 'ILO’s report sent to the CBI',
  approved: 'Unit’s report approved and sent to the CBI',
  'replied-abroad': 'Reply sent abroad',
  'interim-reply-abroad': 'Interim reply sent abroad',
  'foreign-reminder': 'Reminder from abroad recorded',
};
const DIRECTION_LABELS: Record<Direction, string> = { outgoing: 'Going abroad', incoming: 'From abroad' };
const DESK_LABELS: Record<string, string> = { unit: 'Unit', ilo: 'ILO', cbi: 'CBI', abroad: 'Abroad', none: '—' };

/** The queues an officer may look at. */
function queuesOf(role: string): Queue[] {
  if (role === 'uo') return ['desk', 'unit'];
  if (role === 'ilo') return ['desk', 'agency'];
  return DESK_ROLES.includes(role as never) ? ['desk', 'national'] : [];
}

/** A duration for people: "3 h 20 min", "2 days 4 h". */
function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

/** The References pages: the queues, drafting, and one reference with what the reader may do next. */
export function referencePageRoutes(services: ReferenceRouteDeps): Router {
  const router = Router();
  const references = services.references;
  router.use('/references', requireSignIn);

  router.get('/references', async (req, res) => {
    const context = requestContext(req, services);
    const queues = queuesOf(context.actor.role);
    if (queues.length === 0) throw forbidden('References are worked on by unit officers, ILOs and the CBI’s desk.');
    const query = parseInput(listQuery, req.query);
    const page = await references.list(context, query);
    const params = (extra: Record<string, string>): string =>
      new URLSearchParams(Object.entries({ ...req.query, ...extra }).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')).toString();
    res.render('references/index', {
      title: 'INTERPOL References · Bharatpol Hub',
      page: 'references',
      canDraft: can(context.actor, 'reference:draft'),
      canRegister: can(context.actor, 'reference:register'),
      queues: queues.map((queue) => ({ value: queue, label: QUEUE_LABELS[queue], current: queue === query.queue, href: `/references?queue=${queue}` })),
      statuses: optionsOf(STATUS_LABELS, query.status),
      directions: optionsOf(DIRECTION_LABELS, query.direction),
      crimeAreas: optionsOf(CRIME_AREA_LABELS, query.crimeArea),
      priorities: optionsOf(PRIORITY_LABELS, query.priority),
      dates: { from: query.from?.toISOString().slice(0, 10) ?? '', to: query.to?.toISOString().slice(0, 10) ?? '' },
      query,
      searched: page.searched,
      items: page.items.map((item) => ({
        ...item,
        holderLabel: DESK_LABELS[item.holderDesk] ?? item.holderDesk,
        priorityLabel: PRIORITY_LABELS[item.priority],
        countryNames: item.countries.map((entry) => `${entry.country}${entry.answered ? ' ✓' : ''}`).join(', '),
      })),
      nextLink: page.next ? `/references?${params({ cursor: page.next })}` : undefined,
      firstLink: query.cursor ? `/references?${params({ cursor: '' })}` : undefined,
    });
  });

  router.get('/references/new', async (req, res) => {
    const context = requestContext(req, services);
    await authorize(context, 'reference:draft');
    const origin = originOf(context.actor);
    res.render('references/new', {
      title: 'New reference · INTERPOL References · Bharatpol Hub',
      page: 'reference-new',
      wide: true,
      group: groupOfDesk(origin.desk, origin),
      assistance: optionsOf(ASSISTANCE_LABELS, 'locate-person'),
      crimeAreas: optionsOf(CRIME_AREA_LABELS),
      priorities: optionsOf(PRIORITY_LABELS, 'routine'),
      handlingCodes: optionsOf(HANDLING_LABELS, 'H0'),
      sources: optionsOf(SOURCE_LABELS, 'X'),
      informationGrades: optionsOf(INFORMATION_LABELS, '4'),
      countryRows: [1, 2, 3, 4].map((n) => ({ n, first: n === 1 })),
    });
  });

  router.get('/references/incoming/new', async (req, res) => {
    const context = requestContext(req, services);
    await authorize(context, 'reference:register');
    // Opened from a broadcast that turned out to need formal assistance: its facts prefill the form.
    const broadcastId = typeof req.query['broadcast'] === 'string' ? req.query['broadcast'] : undefined;
    const from = broadcastId ? await services.broadcasts.open(context, broadcastId) : undefined;
    res.render('references/register', {
      title: 'Register a foreign reference · INTERPOL References · Bharatpol Hub',
      page: 'reference-register',
      wide: true,
      from: from && { id: from.id, body: from.body, country: from.country, ncb: from.foreignNcb, reference: from.reference, receivedOn: from.sentAt?.slice(0, 10) },
      assistance: optionsOf(ASSISTANCE_LABELS, 'locate-person'),
      crimeAreas: optionsOf(CRIME_AREA_LABELS, from?.crimeArea),
      priorities: optionsOf(PRIORITY_LABELS, from?.priority ?? 'routine'),
      handlingCodes: optionsOf(HANDLING_LABELS, from?.handling.code ?? 'H0'),
      sources: optionsOf(SOURCE_LABELS, from?.grading.source ?? 'X'),
      informationGrades: optionsOf(INFORMATION_LABELS, from?.grading.information ?? '4'),
    });
  });

  router.get('/references/:referenceId', async (req, res) => {
    const context = requestContext(req, services);
    const referenceId = typeof req.params['referenceId'] === 'string' ? req.params['referenceId'] : '';
    const { view, may, below } = await references.openPage(context, referenceId).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 403) {
        throw forbidden('This reference is not open to you: a unit’s reference reaches its ILO when submitted, and the CBI when the ILO forwards it; other agencies never see it.');
      }
      throw error;
    });
    const names = new Map((await accountsByIds(view.steps.map((step) => step.by))).map((account) => [account.id, account.displayName]));
    const { actor } = context;
    // Incoming: the parts (for the desk), the agencies not forwarded to yet, the ILO's units to assign to.
    const parts = may.handleIncoming || (view.direction === 'incoming' && !view.parent && view.parts.length > 0) ? await references.partsOf(context, view.parts) : [];
    const agencies = may.handleIncoming ? (await partnerAgencies()).filter((agency) => !parts.some((part) => part.agencyId === String(agency._id))) : [];
    const units = may.assign ? await unitsOfAgency(actor.agencyId) : [];
    res.render('references/show', {
      title: `${view.label} · INTERPOL References · Bharatpol Hub`,
      page: 'reference',
      wide: true,
      reference: {
        ...view,
        assistanceLabel: ASSISTANCE_LABELS[view.assistance],
        crimeAreaLabel: CRIME_AREA_LABELS[view.crimeArea],
        priorityLabel: PRIORITY_LABELS[view.priority],
        handlingLabel: HANDLING_LABELS[view.handling.code],
        holderLabel: DESK_LABELS[view.holderDesk] ?? view.holderDesk,
        steps: view.steps.map((step) => ({
          ...step,
          label: STEP_LABELS[step.decision] ?? step.decision,
          byName: names.get(step.by) ?? 'Former officer',
          roleLabel: ROLE_LABELS[step.role as Role] ?? step.role,
        })),
        receivedOnLabel: view.foreign?.receivedOn ? formatDay(new Date(view.foreign.receivedOn)) : undefined,
        clockRows: Object.entries(view.clocks).map(([desk, ms]) => ({ desk: DESK_LABELS[desk] ?? desk, time: duration(ms) })),
      },
      json: JSON.stringify({
        id: view.id,
        body: view.body,
        attachments: view.attachments,
        countries: view.countries,
        steps: view.steps,
        reports: view.reports,
        below,
        agencyId: view.agencyId,
        unitId: actor.unitId ?? '',
        role: actor.role,
      }),
      parts: parts.map((part) => ({ ...part, statusLabel: STATUS_LABELS[part.status as keyof typeof STATUS_LABELS] ?? part.status })),
      agencies: agencies.map((agency) => ({ id: String(agency._id), name: agency.name, code: agency.code })),
      units: units.map((unit) => ({ id: String(unit._id), name: unit.name })),
      may,
      mayDecide: may.decideIlo || may.decideCbi,
      submitTo: view.originDesk === 'unit' ? 'your agency’s ILO' : 'the CBI',
      // The first transmission goes to every country; a follow-up to those the desk names.
      transmitRows: view.countries.map((entry) => ({ country: entry.country, required: view.countries.every((each) => each.transmissions.length === 0) })),
      awaiting: view.countries.filter((entry) => entry.transmissions.length > 0 && !entry.answeredAt).map((entry) => entry.country),
    });
  });

  return router;
}
