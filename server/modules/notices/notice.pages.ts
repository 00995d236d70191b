import { Router, type Request, type Response } from 'express';
import { authorize } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import { ROLE_LABELS, type Role } from '../../access/roles.js';
import { AppError, forbidden } from '../../errors.js';
import { NOTICE_KIND_LABELS, NOTICE_KIND_PURPOSES, NOTICE_KINDS } from '../../shared/notices/kinds.js';
import { optionsOf } from '../../shared/options.js';
import { CRIME_AREA_LABELS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITY_LABELS } from '../../shared/vocabulary/priorities.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { groupOfDesk, originOf } from '../../workflow/desk-groups.js';
import { accountsByIds } from '../accounts/account-lookups.js';
import { DESK_ROLES } from '../../access/policy.js';
import type { Queue } from '../../workflow/queues/queue-keys.js';
import { listQuery } from './notice.queries.js';
import type { NoticeRouteDeps } from './notice.routes.js';
import { STATUS_LABELS } from './notice.schema.js';

const QUEUE_LABELS: Record<Queue, string> = { desk: 'At my desk', unit: 'My unit’s', agency: 'My agency’s', national: 'All (national)' };

/** The queues an officer may look at. */
function queuesOf(role: string): Queue[] {
  if (role === 'uo') return ['desk', 'unit'];
  if (role === 'ilo') return ['desk', 'agency'];
  return DESK_ROLES.includes(role as never) ? ['desk', 'national'] : [];
}
const TYPE_LABELS = { notice: 'Notice (published by INTERPOL)', diffusion: 'Diffusion (sent by the CBI to chosen countries)' };
const DESK_LABELS: Record<string, string> = { unit: 'Unit', ilo: 'ILO', cbi: 'CBI', gs: 'General Secretariat', none: '—' };
const STEP_LABELS: Record<string, string> = {
  submitted: 'Submitted, with its check',
  forwarded: 'Forwarded to the CBI',
  returned: 'Returned for correction',
  rejected: 'Rejected',
  'sent-to-gs': 'Sent to the General Secretariat',
  circulated: 'Circulated',
  published: 'Published',
  refused: 'Refused by the General Secretariat',
  'information-requested': 'More information asked',
  extended: 'Extended',
  suspended: 'Suspended',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
};

/** A duration for people: "3 h 20 min", "2 days 4 h". */
function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

const idOf = (params: Record<string, unknown>): string => (typeof params['noticeId'] === 'string' ? params['noticeId'] : '');

/** The Notices pages: the lists, the request form (drawn from the kind's schema in the browser), one request with what the reader may do, the CBI's settings. */
export function noticePageRoutes(services: NoticeRouteDeps): Router {
  const router = Router();
  const { notices } = services;
  router.use('/notices', requireSignIn);

  router.get('/notices', async (req, res) => {
    const context = requestContext(req, services);
    if (!can(context.actor, 'notice:draft')) throw forbidden('Notice requests are worked on by unit officers, ILOs and the CBI’s desk.');
    const query = parseInput(listQuery, req.query);
    const page = await notices.list(context, query);
    const params = (extra: Record<string, string>): string =>
      new URLSearchParams(Object.entries({ ...req.query, ...extra }).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')).toString();
    res.render('notices/index', {
      title: 'INTERPOL Notices · Bharatpol Hub',
      page: 'notices',
      canConfigure: can(context.actor, 'notice:configure'),
      queues: queuesOf(context.actor.role).map((queue) => ({ label: QUEUE_LABELS[queue], current: queue === query.queue, href: `/notices?queue=${queue}` })),
      kinds: optionsOf(NOTICE_KIND_LABELS, query.kind),
      types: optionsOf({ notice: 'Notices', diffusion: 'Diffusions' }, query.type),
      statuses: optionsOf(STATUS_LABELS, query.status),
      crimeAreas: optionsOf(CRIME_AREA_LABELS, query.crimeArea),
      dates: { from: query.from?.toISOString().slice(0, 10) ?? '', to: query.to?.toISOString().slice(0, 10) ?? '' },
      query,
      items: page.items.map((item) => ({ ...item, holderLabel: DESK_LABELS[item.holderDesk] ?? item.holderDesk, priorityLabel: PRIORITY_LABELS[item.priority] })),
      searched: page.searched,
      nextLink: page.next ? `/notices?${params({ cursor: page.next })}` : undefined,
      firstLink: query.cursor ? `/notices?${params({ cursor: '' })}` : undefined,
    });
  });

  const form = (edit: boolean) => async (req: Request, res: Response) => {
    const context = requestContext(req, services);
    await authorize(context, 'notice:draft');
    const existing = edit ? await notices.openPage(context, idOf(req.params)) : undefined;
    if (existing && !existing.may.edit) throw forbidden('Only its author edits a request, while it is with them.');
    const origin = originOf(context.actor);
    const kind = existing?.view.kind ?? (typeof req.query['kind'] === 'string' && (NOTICE_KINDS as readonly string[]).includes(req.query['kind']) ? req.query['kind'] : 'red');
    const settings = await notices.checkSettings(context);
    res.render('notices/form', {
      title: `${existing ? 'Edit' : 'New'} notice request · INTERPOL Notices · Bharatpol Hub`,
      page: 'notice-form',
      wide: true,
      existing: existing && { id: existing.view.id, attachments: existing.view.attachments.length, question: existing.view.gs.question },
      group: groupOfDesk(origin.desk, origin),
      kinds: NOTICE_KINDS.map((value) => ({ value, label: NOTICE_KIND_LABELS[value], purpose: NOTICE_KIND_PURPOSES[value], selected: value === kind })),
      types: optionsOf(TYPE_LABELS, existing?.view.type ?? 'notice'),
      crimeAreas: optionsOf(CRIME_AREA_LABELS, existing?.view.crimeArea),
      priorities: optionsOf(PRIORITY_LABELS, existing?.view.priority ?? 'routine'),
      countries: existing?.view.countries.join('\n') ?? '',
      submitTo: origin.desk === 'unit' ? 'your agency’s ILO' : 'the CBI',
      training: settings.training && !settings.training.valid ? { course: settings.requiredCourse, next: settings.training.next && { ...settings.training.next, startsAt: settings.training.next.startsAt.toISOString() } } : undefined,
    });
  };
  router.get('/notices/new', form(false));
  router.get('/notices/:noticeId/edit', form(true));

  router.get('/notices/settings', async (req, res) => {
    const context = requestContext(req, services);
    await authorize(context, 'notice:configure');
    const settings = await notices.settings.get();
    res.render('notices/settings', {
      title: 'Notice request settings · INTERPOL Notices · Bharatpol Hub',
      page: 'notice-settings',
      settings,
      termLines: settings.terms.map((term) => `${term.article} | ${term.term} | ${term.note}`).join('\n'),
    });
  });

  router.get('/notices/:noticeId', async (req, res) => {
    const context = requestContext(req, services);
    const { view, may } = await notices.openPage(context, idOf(req.params)).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 403) {
        throw forbidden('This request is not open to you: a unit’s request reaches its ILO when submitted, and the CBI when the ILO forwards it; other agencies never see it.');
      }
      throw error;
    });
    const names = new Map((await accountsByIds(view.steps.map((step) => step.by))).map((account) => [account.id, account.displayName]));
    const outcome = may.recordOutcome;
    const steps = view.steps.map((step) => ({ ...step, label: STEP_LABELS[step.decision] ?? step.decision, byName: names.get(step.by) ?? 'Former officer', roleLabel: ROLE_LABELS[step.role as Role] ?? step.role }));
    res.render('notices/show', {
      title: `${view.label} · INTERPOL Notices · Bharatpol Hub`,
      page: 'notice',
      wide: true,
      notice: {
        ...view,
        crimeAreaLabel: CRIME_AREA_LABELS[view.crimeArea],
        priorityLabel: PRIORITY_LABELS[view.priority],
        holderLabel: DESK_LABELS[view.holderDesk] ?? view.holderDesk,
        steps,
        clockRows: Object.entries(view.clocks).map(([desk, ms]) => ({ desk: DESK_LABELS[desk] ?? desk, time: duration(ms) })),
      },
      json: JSON.stringify({ id: view.id, kind: view.kind, type: view.type, body: view.body, attachments: view.attachments, steps, label: view.label, statusLabel: view.statusLabel }),
      may,
      warned: (view.check?.warnings.length ?? 0) > 0,
      mayReview: may.decideIlo || may.decideCbi,
      diffusion: view.type === 'diffusion',
      submitTo: view.originDesk === 'unit' ? 'your agency’s ILO' : 'the CBI',
      atGs: outcome && view.status === 'at-gs',
      published: outcome && view.status === 'published',
      mayWithdraw: outcome && ['published', 'suspended', 'circulated'].includes(view.status),
      mayCancel: outcome && ['published', 'suspended'].includes(view.status),
    });
  });

  return router;
}
