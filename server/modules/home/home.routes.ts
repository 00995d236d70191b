import { Router } from 'express';
import type { Actor } from '../../access/actor.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import type { AuditSink } from '../../access/audit-event.js';
import { listQuery } from '../broadcast/broadcast.schema.js';
import type { BroadcastService } from '../broadcast/broadcast.service.js';
import { waitingFor, type WaitingSources } from './waiting.js';

/** What these routes use of the portal's services. */
export interface HomeRouteDeps extends WaitingSources {
  readonly broadcasts: Pick<BroadcastService, 'waiting' | 'inbox' | 'outbox'>;
  readonly audit: AuditSink;
}

/** The modules of the portal as officers know them. */
const MODULES = [
  { name: 'Connect', summary: 'Real-time encrypted channels between the CBI, every agency’s ILOs and their unit officers.', href: '/connect' },
  { name: 'Broadcast', summary: 'Requests for assistance and criminal intelligence from foreign countries, for action or for information.', href: '/broadcasts' },
  { name: 'INTERPOL References', summary: 'Requests for assistance abroad and incoming foreign references, tracked UO → ILO → CBI → foreign NCB and back.', href: '/references' },
  { name: 'INTERPOL Notices', summary: 'Structured, reviewed requests for Red, Yellow, Blue, Black, Green, Orange, Purple and Silver notices and diffusions.', href: '/notices' },
  { name: 'Resources', summary: 'Documents, SOPs and capacity-building material published by trainers.', href: '/resources' },
] as const;

/** The modules an officer of this role works in (each one a link). */
function modulesFor(actor: Actor): { name: string; summary: string; href: string }[] {
  const works = (href: string): boolean =>
    href === '/resources' || (actor.role !== 'trainer' && actor.role !== 'auditor' && ['/connect', '/broadcasts', '/references', '/notices'].includes(href));
  return MODULES.filter((module) => works(module.href));
}

/** The landing page (with the system-use notice) and, once signed in, the officer's desk. */
export function homeRoutes(services: HomeRouteDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = req.portalSession?.actor;
    if (!actor) {
      res.render('home/index', { title: 'Bharatpol Hub', modules: MODULES });
      return;
    }
    const context = requestContext(req, services);
    const waiting = await waitingFor(services, actor);
    const recent =
      actor.role === 'ilo' || actor.role === 'uo'
        ? (await services.broadcasts.inbox(context, parseInput(listQuery, {}))).items.slice(0, 5)
        : actor.role === 'ncb-officer' || actor.role === 'ncb-admin'
          ? (await services.broadcasts.outbox(context, parseInput(listQuery, {}))).items.slice(0, 5)
          : [];
    res.set('Cache-Control', 'no-store').render('home/dashboard', {
      title: 'Home · Bharatpol Hub',
      page: 'home',
      waiting,
      recent: recent.map((entry) => ({ ...entry, href: `/broadcasts/${encodeURIComponent(entry.id)}`, at: 'sentAt' in entry ? entry.sentAt : undefined })),
      modules: modulesFor(actor),
    });
  });

  /** What waits for the officer, for the navigation's counts and the tab title (every page asks). */
  router.get('/api/me/waiting', requireSignIn, async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await waitingFor(services, requestContext(req, services).actor));
  });
  return router;
}
