import { create as contentDisposition } from 'content-disposition';
import express, { Router } from 'express';
import { authorize, recordSuccess } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import { AppError, forbidden } from '../../errors.js';
import { rejectHostileKeys } from '../../middleware/input-guard.js';
import { agenciesByIds, partnerAgencies } from '../organisation/organisation.lookups.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { CRIME_AREA_LABELS } from '../../shared/vocabulary/crime-areas.js';
import { DELIVERY_STATE_LABELS } from '../../shared/vocabulary/delivery-states.js';
import { INFORMATION_LABELS, SOURCE_LABELS } from '../../shared/vocabulary/grading.js';
import { HANDLING_LABELS, type HandlingCode } from '../../shared/vocabulary/handling.js';
import { PRIORITY_LABELS, type Priority } from '../../shared/vocabulary/priorities.js';
import { PURPOSE_LABELS } from '../../shared/vocabulary/purposes.js';
import {
  KIND_LABELS,
  acknowledgeSchema,
  answerSchema,
  closeSchema,
  composeSchema,
  deliveredSchema,
  disseminateSchema,
  listQuery,
  reviewSchema,
  sendSchema,
  statementQuery,
  transmissionSchema,
} from './broadcast.schema.js';
import { optionsOf } from '../../shared/options.js';
import { labelled, trackingCsv } from './broadcast.presenter.js';
import type { BroadcastService } from './broadcast.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface BroadcastRouteDeps {
  readonly broadcasts: BroadcastService;
  readonly audit: AuditSink;
}

const id = (params: Record<string, unknown>): string => (typeof params['broadcastId'] === 'string' ? params['broadcastId'] : '');

/**
 * Sending to every agency, or passing on to hundreds of units, carries key packets for each
 * (about 150 bytes per group and sealed part): these bodies may be larger than the portal's
 * default limit, and are parsed only after sign-in.
 */
export const LARGE_BODY_PATHS = /^\/api\/broadcasts\/[a-f0-9]{24}\/(?:send|review|disseminations|left-out)$/;
const largeJson = [express.json({ limit: '4mb', strict: true }), rejectHostileKeys];

/** The Broadcast API: compose, review and send (desk); receive, acknowledge, pass on and answer (agencies); track. */
export function broadcastApiRoutes(services: BroadcastRouteDeps): Router {
  const router = Router();
  const broadcasts = services.broadcasts;
  router.use('/api/broadcasts', requireSignIn);

  router.get('/api/broadcasts', async (req, res) => {
    const context = requestContext(req, services);
    const query = parseInput(listQuery, req.query);
    const desk = context.actor.role === 'ncb-officer' || context.actor.role === 'ncb-admin';
    res.set('Cache-Control', 'no-store').json(desk ? await broadcasts.outbox(context, query) : await broadcasts.inbox(context, query));
  });

  router.post('/api/broadcasts', async (req, res) => {
    res.status(201).json(await broadcasts.compose(requestContext(req, services), parseInput(composeSchema, req.body)));
  });

  router.post('/api/broadcasts/delivered', async (req, res) => {
    res.json(await broadcasts.markDelivered(requestContext(req, services), parseInput(deliveredSchema, req.body).ids));
  });

  router.get('/api/broadcasts/:broadcastId', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await broadcasts.open(requestContext(req, services), id(req.params)));
  });

  router.post('/api/broadcasts/:broadcastId/draft', async (req, res) => {
    res.json(await broadcasts.update(requestContext(req, services), id(req.params), parseInput(composeSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/submit', async (req, res) => {
    res.json(await broadcasts.submit(requestContext(req, services), id(req.params)));
  });

  router.get('/api/broadcasts/:broadcastId/recipients', async (req, res) => {
    const leftOut = req.query['leftOut'] === '1';
    res.set('Cache-Control', 'no-store').json({ recipients: await broadcasts.recipientKeys(requestContext(req, services), id(req.params), { leftOut }) });
  });

  router.post('/api/broadcasts/:broadcastId/review', ...largeJson, async (req, res) => {
    res.json(await broadcasts.review(requestContext(req, services), id(req.params), parseInput(reviewSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/send', ...largeJson, async (req, res) => {
    res.json(await broadcasts.send(requestContext(req, services), id(req.params), parseInput(sendSchema, req.body)));
  });

  /** Sends a broadcast already out to the addressed agencies left out for lack of a key, now that they have one. */
  router.post('/api/broadcasts/:broadcastId/left-out', ...largeJson, async (req, res) => {
    res.json(await broadcasts.sendToLeftOut(requestContext(req, services), id(req.params), parseInput(sendSchema, req.body)));
  });

  router.get('/api/broadcasts/:broadcastId/statement', async (req, res) => {
    const { signedAt } = parseInput(statementQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await broadcasts.statementFor(requestContext(req, services), id(req.params), signedAt));
  });

  router.post('/api/broadcasts/:broadcastId/acknowledgements', async (req, res) => {
    res.status(201).json(await broadcasts.acknowledge(requestContext(req, services), id(req.params), parseInput(acknowledgeSchema, req.body)));
  });

  router.get('/api/broadcasts/:broadcastId/units', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ units: await broadcasts.unitKeys(requestContext(req, services), id(req.params)) });
  });

  router.post('/api/broadcasts/:broadcastId/disseminations', ...largeJson, async (req, res) => {
    res.status(201).json(await broadcasts.disseminate(requestContext(req, services), id(req.params), parseInput(disseminateSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/reports', async (req, res) => {
    res.status(201).json(await broadcasts.report(requestContext(req, services), id(req.params), parseInput(answerSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/response', async (req, res) => {
    res.status(201).json(await broadcasts.respond(requestContext(req, services), id(req.params), parseInput(answerSchema, req.body)));
  });

  router.post('/api/broadcasts/:broadcastId/status', async (req, res) => {
    res.json(await broadcasts.close(requestContext(req, services), id(req.params), parseInput(closeSchema, req.body).status));
  });

  router.post('/api/broadcasts/:broadcastId/transmissions', async (req, res) => {
    res.status(201).json(await broadcasts.transmit(requestContext(req, services), id(req.params), parseInput(transmissionSchema, req.body)));
  });

  router.get('/api/broadcasts/:broadcastId/tracking', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ rows: await broadcasts.tracking(requestContext(req, services), id(req.params)) });
  });

  router.get('/api/broadcasts/:broadcastId/tracking.csv', async (req, res) => {
    const context = requestContext(req, services);
    const rows = await broadcasts.tracking(context, id(req.params));
    await recordSuccess(context, 'broadcast.tracking-exported', { type: 'broadcast', id: id(req.params) });
    res
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`broadcast-${id(req.params)}-tracking.csv`),
        'Cache-Control': 'no-store',
      })
      .send(trackingCsv(rows));
  });

  return router;
}

const isDesk = (role: string): boolean => role === 'ncb-officer' || role === 'ncb-admin';

/** The Broadcast pages: the list (inbox or the desk's outbox), composing, and one broadcast. */
export function broadcastPageRoutes(services: BroadcastRouteDeps): Router {
  const router = Router();
  const broadcasts = services.broadcasts;
  router.use('/broadcasts', requireSignIn);

  router.get('/broadcasts', async (req, res) => {
    const context = requestContext(req, services);
    const { actor } = context;
    if (actor.role === 'auditor' || actor.role === 'trainer') throw forbidden();
    const query = parseInput(listQuery, req.query);
    const desk = isDesk(actor.role);
    const page = desk ? await broadcasts.outbox(context, query) : await broadcasts.inbox(context, query);
    const filtered = Boolean(query.q || query.status || query.priority || query.purpose || query.crimeArea || query.country || query.from || query.to);
    const params = (extra: Record<string, string>): string =>
      new URLSearchParams(Object.entries({ ...req.query, ...extra }).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')).toString();
    res.render('broadcast/index', {
      title: 'Broadcast · Bharatpol Hub',
      page: 'broadcasts',
      desk,
      canCompose: can(actor, 'broadcast:compose'),
      items: page.items.map((item) => ({
        ...labelled(item),
        stateLabel: 'state' in item ? DELIVERY_STATE_LABELS[item.state] : DESK_STATE_LABELS[item.status as keyof typeof DESK_STATE_LABELS],
        undelivered: 'state' in item && item.state === 'sent',
      })),
      query: { ...query, from: query.from?.toISOString().slice(0, 10), to: query.to?.toISOString().slice(0, 10) },
      statuses: optionsOf(desk ? DESK_STATE_LABELS : INBOX_STATE_LABELS, query.status),
      priorities: optionsOf(PRIORITY_LABELS, query.priority),
      purposes: optionsOf(PURPOSE_LABELS, query.purpose),
      crimeAreas: optionsOf(CRIME_AREA_LABELS, query.crimeArea),
      filtered,
      nextLink: page.next ? `/broadcasts?${params({ cursor: page.next })}` : undefined,
      firstLink: query.cursor ? `/broadcasts?${params({ cursor: '' })}` : undefined,
    });
  });

  // A new broadcast, or (`?draft=<id>`) its author's draft to change.
  router.get('/broadcasts/new', async (req, res) => {
    const context = requestContext(req, services);
    await authorize(context, 'broadcast:compose');
    const draftId = typeof req.query['draft'] === 'string' ? req.query['draft'] : undefined;
    const draft = draftId ? await broadcasts.open(context, draftId) : undefined;
    if (draft && (draft.status !== 'draft' || draft.authorId !== context.actor.userId)) throw forbidden('Only its author changes a draft, before it is submitted.');
    const agencies = await partnerAgencies();
    const chosen = new Set(draft?.addressees.mode === 'list' ? draft.addressees.agencies : []);
    res.render('broadcast/new', {
      title: `${draft ? 'Edit draft' : 'New broadcast'} · Broadcast · Bharatpol Hub`,
      page: 'broadcast-compose',
      wide: true,
      draft,
      kinds: optionsOf(KIND_LABELS, draft?.kind),
      purposes: optionsOf(PURPOSE_LABELS, draft?.purpose ?? 'action'),
      crimeAreas: optionsOf(CRIME_AREA_LABELS, draft?.crimeArea),
      priorities: optionsOf(PRIORITY_LABELS, draft?.priority ?? 'routine'),
      handlingCodes: optionsOf(HANDLING_LABELS, draft?.handling.code ?? 'H0'),
      sources: optionsOf(SOURCE_LABELS, draft?.grading.source ?? 'X'),
      informationGrades: optionsOf(INFORMATION_LABELS, draft?.grading.information ?? '4'),
      modes: optionsOf(ADDRESSEE_LABELS, draft?.addressees.mode ?? 'all'),
      agencies: agencies.map((agency) => ({ id: String(agency._id), name: agency.name, code: agency.code, checked: chosen.has(String(agency._id)) })),
      reviewPriorities: [...broadcasts.reviewPriorities].join(','),
    });
  });

  router.get('/broadcasts/:broadcastId', async (req, res) => {
    const context = requestContext(req, services);
    const { actor } = context;
    const view = await broadcasts.open(context, id(req.params)).catch((error: unknown) => {
      // Say why, rather than a bare 403 (the denial is already in the audit log).
      if (error instanceof AppError && error.status === 403) {
        throw forbidden('This broadcast is not open to you. An agency’s ILOs see a broadcast once the CBI sends it to their agency (until then it is being prepared or reviewed at the desk), and a unit once its ILO passes it on.');
      }
      throw error;
    });
    const desk = isDesk(actor.role);
    const open = view.status === 'sent' || view.status === 'answered';
    const handlingCode = view.handling.code as HandlingCode;
    res.render('broadcast/show', {
      title: `${view.reference} · Broadcast · Bharatpol Hub`,
      page: 'broadcast',
      wide: true,
      broadcast: {
        ...labelled(view),
        handlingLabel: HANDLING_LABELS[handlingCode],
        sourceLabel: SOURCE_LABELS[view.grading.source as keyof typeof SOURCE_LABELS],
        informationLabel: INFORMATION_LABELS[view.grading.information as keyof typeof INFORMATION_LABELS],
        statusLabel: DESK_STATE_LABELS[view.status as keyof typeof DESK_STATE_LABELS],
      },
      json: JSON.stringify({ id: view.id, body: view.body, attachments: view.attachments, instructions: view.mine?.instructions, agencyId: actor.agencyId, unitId: actor.unitId ?? '', desk }),
      mine: view.mine ? { ...view.mine, stateLabel: DELIVERY_STATE_LABELS[view.mine.state] } : undefined,
      desk,
      canSend: desk && view.status === 'draft' && view.authorId === actor.userId,
      canEdit: desk && view.status === 'draft' && view.authorId === actor.userId,
      reviewRequired: broadcasts.reviewPriorities.has(view.priority as Priority),
      canReview: desk && view.status === 'in-review' && view.authorId !== actor.userId,
      canAcknowledge: Boolean(view.mine) && open && !view.mine?.acknowledgedAt,
      canDisseminate: actor.role === 'ilo' && open && view.handling.allowsOnwardSharing,
      disseminationForbidden: actor.role === 'ilo' && !view.handling.allowsOnwardSharing,
      canAnswer: Boolean(view.mine?.acknowledgedAt) && open && !view.mine?.respondedAt,
      answerKind: actor.role === 'uo' ? 'reports' : 'response',
      canClose: desk && open,
      tracks: view.tracking.length > 0,
      returned: view.reviews.filter((review) => review.decision === 'returned').at(-1),
      leftOut: view.leftOut.length ? (await agenciesByIds(view.leftOut)).map((agency) => agency.name) : [],
      missing: typeof req.query['missing'] === 'string' ? req.query['missing'].slice(0, 1000) : undefined,
      transmissions: view.transmissions,
      links: desk ? await broadcasts.linksOf(view.id) : [],
      canOpenReference: desk && view.status !== 'draft' && view.status !== 'in-review' && view.purpose === 'action',
    });
  });

  return router;
}

const ADDRESSEE_LABELS = { all: 'All agencies', states: 'States and union territories', central: 'Central agencies', list: 'Chosen agencies' };
const INBOX_STATE_LABELS = { new: 'New (unread)', read: 'Read, not acknowledged', acknowledged: 'Acknowledged, not answered', responded: 'Answered', overdue: 'Overdue' };
const DESK_STATE_LABELS = { draft: 'Draft', 'in-review': 'In review', sent: 'Sent', answered: 'Answered abroad', closed: 'Closed', overdue: 'Overdue' };
