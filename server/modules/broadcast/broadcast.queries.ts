/** The database questions broadcasts ask: addressees, list filters, counts. */
import mongoose, { type Types } from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { now } from '../../clock.js';
import { agenciesByIds, listAgencies, partnerAgencies, type AgencyDocument } from '../organisation/organisation.lookups.js';
import { queryTerms } from '../../shared/search-terms.js';
import { BroadcastDelivery, type BroadcastDeliveryDocument, type BroadcastDocument } from './broadcast.model.js';
import type { ListQuery, RECIPIENT_STATES } from './broadcast.schema.js';
import { isOverdue } from '../../workflow/delivery-fields.js';
import { metadataOf, type OutboxEntry } from './broadcast.view.js';

export const trusted = <T>(operator: T): T => mongoose.trusted<T>(operator);

/** The agencies addressees resolve to now (never the CBI itself). */
export async function resolveAddressees(mode: string, agencyIds: string[]): Promise<AgencyDocument[]> {
  if (mode === 'states') return listAgencies(['state', 'union-territory']);
  if (mode === 'central') return listAgencies(['central']);
  if (mode === 'list') return (await agenciesByIds(agencyIds)).filter((agency) => agency.type !== 'ncb');
  return partnerAgencies();
}

/** What a delivery copies from its broadcast when sent (it never changes after). */
export function copiedMetadata(broadcast: BroadcastDocument, sentAt: Date, deadline: Date) {
  return { ...metadataOf(broadcast), sentAt, deadline, terms: broadcast.terms };
}

/**
 * The deliveries of the actor's office, as a filter: their agency's (an ILO) or their unit's (a
 * unit officer); undefined for anyone else, who has no inbox.
 */
export function officeScopeOf(actor: Pick<Actor, 'role' | 'agencyId' | 'unitId'>): Record<string, unknown> | undefined {
  if (actor.role === 'ilo') return { level: 'agency', agency: actor.agencyId };
  if (actor.role === 'uo' && actor.unitId) return { level: 'unit', unit: actor.unitId };
  return undefined;
}

/** Filters on the metadata both lists share. */
export function metadataFilter(query: ListQuery, dateField = 'sentAt'): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.priority) filter['priority'] = query.priority;
  if (query.purpose) filter['purpose'] = query.purpose;
  if (query.crimeArea) filter['crimeArea'] = query.crimeArea;
  const words = queryTerms(`${query.q} ${query.country}`);
  if (words.length > 0) filter['terms'] = trusted({ $all: words });
  if (query.from || query.to) {
    filter[dateField] = trusted({ ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: new Date(query.to.getTime() + 86_400_000) } : {}) });
  }
  return filter;
}

/** Where an addressee has got, as the inbox filters on it. */
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** The inbox's status filter, on a delivery's own progress. */
export function deliveryStateFilter(status: RecipientState | undefined): Record<string, unknown> {
  const missing = trusted({ $exists: false });
  const present = trusted({ $exists: true });
  switch (status) {
    case 'new':
      return { readAt: missing };
    case 'read':
      return { readAt: present, acknowledgement: missing };
    case 'acknowledged':
      return { acknowledgement: present, respondedAt: missing };
    case 'responded':
      return { respondedAt: present };
    case 'overdue':
      return {
        closed: false,
        deadline: trusted({ $lt: now() }),
        $or: [
          { purpose: 'action', respondedAt: missing },
          { purpose: 'information', acknowledgement: missing },
        ],
      };
    default:
      return {};
  }
}

/** Per broadcast: addressed agencies, and how many acknowledged, responded, are overdue. */
export async function deliveryCounts(broadcastIds: Types.ObjectId[]): Promise<Map<string, OutboxEntry['counts']>> {
  const counts = new Map<string, OutboxEntry['counts']>();
  if (broadcastIds.length === 0) return counts;
  const rows = await BroadcastDelivery.find({ broadcast: trusted({ $in: broadcastIds }), level: 'agency' }).lean<BroadcastDeliveryDocument[]>();
  for (const row of rows) {
    const key = String(row.broadcast);
    const count = counts.get(key) ?? { agencies: 0, acknowledged: 0, responded: 0, overdue: 0 };
    count.agencies += 1;
    if (row.acknowledgement) count.acknowledged += 1;
    if (row.respondedAt) count.responded += 1;
    if (isOverdue(row)) count.overdue += 1;
    counts.set(key, count);
  }
  return counts;
}

