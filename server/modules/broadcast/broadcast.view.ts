/**
 * What the Broadcast API answers: lines of the inbox and of the desk's list, a broadcast as its
 * reader sees it, and the notices sockets carry. Metadata only: content travels sealed.
 */
import type { Actor } from '../../access/actor.js';
import type { BroadcastMetadata, BroadcastNotice } from './broadcast.events.js';
import type { TrackingRow } from '../../workflow/tracking.events.js';
import type { BroadcastDeliveryDocument, BroadcastDocument } from './broadcast.model.js';
import { allowsOnwardSharing } from '../../shared/vocabulary/handling.js';

/** The metadata of a broadcast that lists and notices show. */
export function metadataOf(broadcast: BroadcastDocument): BroadcastMetadata {
  return {
    reference: broadcast.reference,
    country: broadcast.country,
    kind: broadcast.kind,
    purpose: broadcast.purpose,
    crimeArea: broadcast.crimeArea,
    priority: broadcast.priority,
    handlingCode: broadcast.handling.code,
  };
}

export const iso = (date: Date | null | undefined): string | undefined => (date ? date.toISOString() : undefined);

export function noticeOf(delivery: BroadcastDeliveryDocument): BroadcastNotice {
  return {
    id: String(delivery.broadcast),
    reference: delivery.reference,
    country: delivery.country,
    kind: delivery.kind,
    purpose: delivery.purpose,
    crimeArea: delivery.crimeArea,
    priority: delivery.priority,
    handlingCode: delivery.handlingCode,
    deadline: delivery.deadline.toISOString(),
    sentAt: delivery.sentAt.toISOString(),
    level: delivery.level,
    reminders: delivery.reminders,
  };
}

/** One line of an inbox. */
export interface InboxEntry extends BroadcastNotice {
  state: TrackingRow['state'];
  overdue: boolean;
  readAt?: string | undefined;
}

/** One line of the desk's list. */
export interface OutboxEntry extends BroadcastMetadata {
  id: string;
  status: string;
  createdAt: string;
  sentAt?: string | undefined;
  deadline?: string | undefined;
  authorId: string;
  counts: { agencies: number; acknowledged: number; responded: number; overdue: number };
}

/** A broadcast as its reader receives it (metadata in clear, content as ids of sealed things). */
export interface BroadcastView {
  id: string;
  status: string;
  authorId: string;
  country: string;
  foreignNcb: string;
  reference: string;
  kind: string;
  purpose: string;
  crimeArea: string;
  priority: string;
  handling: { code: string; restrictions: string; allowsOnwardSharing: boolean };
  grading: { source: string; information: string };
  addressees: { mode: string; agencies: string[] };
  recipients: string[];
  /** Addressed agencies left out when it was sent, their ILOs having no key yet (desk only). */
  leftOut: string[];
  sentAt?: string | undefined;
  deadline?: string | undefined;
  requestedDeadline?: string | undefined;
  body: string;
  attachments: string[];
  reviews: { by: string; at: string; decision: string; comment: string }[];
  transmissions: { reference: string; medium: string; note: string; at: string }[];
  /** The reader's own addressee row (ILO: the agency's, UO: the unit's). */
  mine?: TrackingRow & { instructions?: string | undefined };
  tracking: TrackingRow[];
}

export function presentBroadcast(broadcast: BroadcastDocument, mine: BroadcastView['mine'], tracking: TrackingRow[], actor: Actor): BroadcastView {
  const desk = actor.role === 'ncb-officer' || actor.role === 'ncb-admin';
  return {
    id: String(broadcast._id),
    status: broadcast.status,
    authorId: String(broadcast.author),
    country: broadcast.country,
    foreignNcb: broadcast.foreignNcb,
    reference: broadcast.reference,
    kind: broadcast.kind,
    purpose: broadcast.purpose,
    crimeArea: broadcast.crimeArea,
    priority: broadcast.priority,
    handling: { code: broadcast.handling.code, restrictions: broadcast.handling.restrictions, allowsOnwardSharing: allowsOnwardSharing(broadcast.handling.code) },
    grading: { source: broadcast.grading.source, information: broadcast.grading.information },
    // Who else received it is the desk's business; an agency sees only that it did.
    addressees: desk ? { mode: broadcast.addressees.mode, agencies: broadcast.addressees.agencies.map(String) } : { mode: 'list', agencies: [actor.agencyId] },
    recipients: desk ? broadcast.recipients.map(String) : [actor.agencyId],
    leftOut: desk ? (broadcast.leftOut ?? []).map(String) : [],
    sentAt: iso(broadcast.sentAt),
    deadline: mine?.deadline ?? iso(broadcast.deadline),
    requestedDeadline: iso(broadcast.requestedDeadline),
    body: String(broadcast.body),
    attachments: broadcast.attachments.map(String),
    reviews: desk ? broadcast.reviews.map((review) => ({ by: String(review.by), at: review.at.toISOString(), decision: review.decision, comment: review.comment })) : [],
    transmissions: desk ? broadcast.transmissions.map((entry) => ({ reference: entry.reference, medium: entry.medium, note: entry.note, at: entry.at.toISOString() })) : [],
    ...(mine ? { mine } : {}),
    tracking,
  };
}

