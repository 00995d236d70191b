import { Router, type Request } from 'express';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import { ROLE_LABELS, ROLES } from '../../access/roles.js';
import { nowMs } from '../../clock.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { activeOfficersOf } from '../accounts/account-lookups.js';
import { listAgencies, placeNames } from '../organisation/organisation.lookups.js';
import { itemResource } from '../library/library.policy.js';
import { itemsByIds, publishedTitles } from '../library/library.service.js';
import { attendanceSchema, enrolSchema, scheduleSchema } from './training.schema.js';
import { presentSession } from './training.presenter.js';
import type { TrainingSessionDocument } from './training.model.js';
import type { Config } from '../../config.js';
import type { TrainingService } from './training.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface TrainingRouteDeps {
  readonly config: Config;
  readonly training: TrainingService;
  readonly audit: AuditSink;
}

const sessionId = (req: Request): string => String(req.params['sessionId']);

/**
 * Who the page lists as enrolled: everyone for the trainer, the officers of their own agency for
 * an ILO (to enrol and follow their units), nobody else's for anyone else.
 */
async function visibleEnrolments(context: AuthorizeContext, session: TrainingSessionDocument, manage: boolean) {
  const { actor } = context;
  const entries = session.enrolments.filter((entry) => manage || (actor.role === 'ilo' && entry.agency === actor.agencyId));
  const names = await placeNames(entries.flatMap((entry) => [entry.agency, entry.unit ?? '']));
  return entries.map((entry) => ({
    accountId: String(entry.account),
    name: entry.name,
    place: [entry.unit ? names.get(entry.unit) : undefined, names.get(entry.agency)].filter(Boolean).join(', '),
    status: entry.status,
    waiting: entry.status === 'waiting',
    attended: entry.attended,
    at: entry.at.toISOString(),
  }));
}

/** Training sessions: the calendar, scheduling, enrolment, attendance, certificates. */
export function trainingRoutes(services: TrainingRouteDeps): Router {
  const router = Router();
  router.use(['/training', '/api/training'], requireSignIn);

  router.get('/training', async (req, res) => {
    const context = requestContext(req, services);
    const when = req.query['when'] === 'past' ? 'past' : 'upcoming';
    const sessions = await services.training.list(context, when);
    res.render('resources/training', {
      title: 'Training · Bharatpol Hub',
      page: 'training',
      past: when === 'past',
      sessions: sessions.map((session) => presentSession(session, context.actor)),
      canSchedule: can(context.actor, 'training:schedule'),
    });
  });

  router.get('/training/new', async (req, res) => {
    const context = requestContext(req, services);
    await authorize(context, 'training:schedule');
    const [agencies, items] = await Promise.all([
      listAgencies(),
      publishedTitles(200),
    ]);
    res.render('resources/schedule', {
      title: 'Schedule a session · Training · Bharatpol Hub',
      page: 'training-schedule',
      roles: ROLES.map((value) => ({ value, label: ROLE_LABELS[value] })),
      agencies: agencies.map((agency) => ({ id: String(agency._id), name: agency.name })),
      items,
    });
  });

  router.get('/training/sessions/:sessionId', async (req, res) => {
    const context = requestContext(req, services);
    const { actor } = context;
    const session = await services.training.describe(context, sessionId(req));
    const view = presentSession(session, actor);
    const materials = await itemsByIds(session.materials);
    const enrolled = new Set(session.enrolments.map((entry) => String(entry.account)));
    // An ILO enrols the unit officers of its agency who are not enrolled yet.
    const candidates =
      actor.role === 'ilo' && !view.cancelled
        ? (await activeOfficersOf(actor.agencyId, 'uo', 1000))
            .filter((account) => !enrolled.has(account.id))
            .map((account) => ({ id: account.id, name: account.displayName }))
        : [];
    const started = session.startsAt.getTime() <= nowMs();
    res.render('resources/session', {
      title: `${session.title} · Training · Bharatpol Hub`,
      page: 'training-session',
      session: view,
      materials: materials
        .filter((item) => can(actor, 'library:read', itemResource(item)))
        .map((item) => ({ id: String(item._id), title: item.title })),
      enrolments: await visibleEnrolments(context, session, view.canManage),
      candidates,
      canEnrolSelf: !view.mine && !view.cancelled && !started && actor.role !== 'auditor',
      canWithdraw: Boolean(view.mine) && !started,
      started,
      full: view.seatsLeft === 0,
    });
  });

  router.get('/training/sessions/:sessionId/calendar.ics', async (req, res) => {
    const origin = services.config.publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const calendar = await services.training.calendar(requestContext(req, services), sessionId(req), origin);
    res.set({ 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'attachment; filename="training-session.ics"' }).send(calendar);
  });

  router.get('/training/sessions/:sessionId/certificate.pdf', async (req, res) => {
    const { accountId } = parseInput(enrolSchema, req.query);
    const pdf = await services.training.certificate(requestContext(req, services), sessionId(req), accountId);
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="certificate-of-completion.pdf"' }).send(Buffer.from(pdf));
  });

  router.get('/api/training/sessions', async (req, res) => {
    const context = requestContext(req, services);
    const sessions = await services.training.list(context, req.query['when'] === 'past' ? 'past' : 'upcoming');
    res.json({ sessions: sessions.map((session) => presentSession(session, context.actor)) });
  });

  router.post('/api/training/sessions', async (req, res) => {
    const context = requestContext(req, services);
    const session = await services.training.schedule(context, parseInput(scheduleSchema, req.body));
    res.status(201).json(presentSession(session, context.actor));
  });

  router.get('/api/training/sessions/:sessionId', async (req, res) => {
    const context = requestContext(req, services);
    const session = await services.training.describe(context, sessionId(req));
    const canManage = presentSession(session, context.actor).canManage;
    res.json({ ...presentSession(session, context.actor), enrolments: await visibleEnrolments(context, session, canManage) });
  });

  router.post('/api/training/sessions/:sessionId/enrolments', async (req, res) => {
    const { accountId } = parseInput(enrolSchema, req.body);
    res.status(201).json(await services.training.enrol(requestContext(req, services), sessionId(req), accountId));
  });

  router.post('/api/training/sessions/:sessionId/withdrawals', async (req, res) => {
    const { accountId } = parseInput(enrolSchema, req.body);
    res.json(await services.training.withdraw(requestContext(req, services), sessionId(req), accountId));
  });

  router.post('/api/training/sessions/:sessionId/attendance', async (req, res) => {
    const { accountId, attended } = parseInput(attendanceSchema, req.body);
    await services.training.markAttendance(requestContext(req, services), sessionId(req), accountId, attended);
    res.json({ accountId, attended });
  });

  router.post('/api/training/sessions/:sessionId/cancel', async (req, res) => {
    await services.training.cancel(requestContext(req, services), sessionId(req));
    res.json({ cancelled: true });
  });

  return router;
}
