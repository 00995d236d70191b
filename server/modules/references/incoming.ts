/**
 * Incoming references: a foreign NCB's request registered at the CBI, forwarded to agencies (one
 * part each, sharing the sealed request), assigned by each ILO to a unit, reported on by the unit
 * (or the ILO), approved up to the CBI, and answered abroad.
 */
import mongoose, { type Types } from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError, badRequest } from '../../errors.js';
import { termsOf } from '../../shared/search-terms.js';
import { bindFiles } from '../../sealed/files/files.service.js';
import { createItem } from '../../sealed/items/items.service.js';
import { latestEpochs } from '../../sealed/groups/groups.service.js';
import { checkFutureDeadline, deadlineFor } from '../../workflow/deadlines.js';
import { checkOpening, openForGroups } from '../../workflow/openings.js';
import { agenciesByIds, unitById } from '../organisation/organisation.lookups.js';
import { signedDecision } from './decide.js';
import { incomingLifecycle } from './reference.lifecycle.js';
import { BroadcastLink, Reference, type ReferenceDocument } from './reference.model.js';
import type { AssignInput, ApproveInput, ForeignReminderInput, ForwardAgenciesInput, RegisterInput, ReplyAbroadInput, ReportInput } from './reference.schema.js';
import { bindingOf, findReference, holderOf, referencesByIds, resourceOf, type ReferenceDesk } from './reference-desk.js';
import { DESK_GROUP, groupOfDesk } from '../../workflow/desk-groups.js';

const oid = (id: unknown): Types.ObjectId => new mongoose.Types.ObjectId(String(id));

/** The CBI registers a reference a foreign NCB sent: its facts in clear, the request sealed for the desk. */
export async function register(desk: ReferenceDesk, context: AuthorizeContext, input: RegisterInput, checkBroadcast: (id: string) => Promise<void>): Promise<{ id: string }> {
  await authorize(context, 'reference:register');
  checkFutureDeadline(input.deadline);
  if (input.broadcast) await checkBroadcast(input.broadcast);
  const id = new mongoose.Types.ObjectId();
  const attachments = await bindFiles(context.actor, input.attachments, DESK_GROUP, bindingOf(String(id)), 'reference');
  const body = await createItem(context, { group: DESK_GROUP, ...input.body }, { boundTo: bindingOf(String(id)) });
  const at = now();
  const place = { originDesk: 'cbi' as const, agency: oid(context.actor.agencyId) };
  const reference = {
    _id: id,
    direction: 'incoming' as const,
    status: 'registered' as const,
    author: context.actor.userId,
    ...place,
    holder: holderOf(place, 'registered'),
    hops: [{ desk: 'cbi', since: at }],
    reached: ['cbi'],
    movedAt: at,
    countries: [{ country: input.foreign.country, ncb: input.foreign.ncb }],
    foreign: input.foreign,
    assistance: input.assistance,
    crimeArea: input.crimeArea,
    priority: input.priority,
    requestedDeadline: input.deadline,
    deadline: deadlineFor(input.priority, at, input.deadline),
    submittedAt: at,
    handling: input.handling,
    grading: input.grading,
    body: body.id,
    attachments,
    parts: [],
    terms: termsOf(input.foreign.country, input.foreign.ncb, input.foreign.reference),
    ...(input.broadcast ? { broadcast: oid(input.broadcast) } : {}),
  };
  await desk.place([reference], () => Reference.create(reference));
  if (input.broadcast) await BroadcastLink.updateOne({ _id: input.broadcast }, { $addToSet: { references: id } }, { upsert: true });
  await desk.record(context, 'reference.registered', String(id), { country: input.foreign.country });
  return { id: String(id) };
}

/**
 * Forwards a registered reference to agencies: its request opened for each agency's ILOs, and a
 * part created for each, held by them. Agencies that already have a part are refused.
 */
export function forwardToAgencies(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: ForwardAgenciesInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:handle-incoming', resourceOf(reference));
    const status = incomingLifecycle.next(reference.status, 'forward-agencies');
    const agencyIds = Object.keys(input.openings);
    const agencies = await agenciesByIds(agencyIds);
    if (agencies.length !== agencyIds.length || agencies.some((agency) => agency.type === 'ncb')) {
      throw badRequest('Choose agencies of the portal (not the CBI itself).', [{ field: 'openings', message: 'unknown agency' }]);
    }
    const existing = await referencesByIds(reference.parts ?? []);
    const already = agencies.filter((agency) => existing.some((part) => String(part.agency) === String(agency._id)));
    if (already.length > 0) throw new AppError(409, 'already-forwarded', `Already forwarded to ${already.map((agency) => agency.name).join(', ')}.`);
    const signed = await signedDecision(reference, context.actor, { decision: 'forward-agencies', ...input, places: agencyIds });
    const attachments = reference.attachments.map(String);
    const epochs = await latestEpochs(agencyIds.map((agency) => groupOfDesk('ilo', { agency })));
    const checked = await Promise.all(
      agencies.map((agency) => checkOpening(groupOfDesk('ilo', { agency: String(agency._id) }), input.openings[String(agency._id)]!, attachments, `${agency.name}’s ILOs`, epochs)),
    );
    const at = now();
    await openForGroups(context, oid(reference.body), attachments, checked, at);
    const parts = agencies.map((agency) => {
      const place = { originDesk: 'cbi' as const, agency: agency._id };
      return {
        _id: new mongoose.Types.ObjectId(),
        direction: 'incoming' as const,
        status: 'at-ilo' as const,
        author: context.actor.userId,
        ...place,
        parent: reference._id,
        holder: holderOf(place, 'at-ilo'),
        hops: [{ desk: 'ilo', agency: agency._id, since: at }],
        reached: ['ilo'],
        movedAt: at,
        countries: reference.countries,
        foreign: reference.foreign,
        assistance: reference.assistance,
        crimeArea: reference.crimeArea,
        priority: reference.priority,
        deadline: reference.deadline,
        submittedAt: at,
        handling: reference.handling,
        grading: reference.grading,
        body: reference.body,
        attachments: reference.attachments,
        reports: [],
        terms: reference.terms,
      };
    });
    await desk.place(parts, () => Reference.insertMany(parts));
    const moved = await desk.move(context, reference, status, { decision: 'forwarded-to-agencies', comment: input.comment, signed }, {
      push: { parts: { $each: parts.map((part) => part._id) } },
    });
    await desk.record(context, 'reference.forwarded-to-agencies', referenceId, { agencies: agencies.length });
    return moved;
  });
}

/** An ILO assigns its agency's part to one of its units: the request opened for the unit's key. */
export function assign(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: AssignInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const part = await findReference(referenceId);
    await authorize(context, 'reference:assign', resourceOf(part));
    const status = incomingLifecycle.next(part.status, 'assign');
    const unit = await unitById(input.unit);
    if (!unit || String(unit.agency) !== String(part.agency)) throw badRequest('Choose a unit of your agency.', [{ field: 'unit', message: 'not of this agency' }]);
    const signed = await signedDecision(part, context.actor, { decision: 'assign', ...input, places: [input.unit] });
    const group = groupOfDesk('unit', { agency: String(part.agency), unit: input.unit });
    const checked = await checkOpening(group, input.opening, part.attachments.map(String), unit.name);
    await openForGroups(context, oid(part.body), part.attachments.map(String), [checked], now());
    // The unit is set first so the hop and holder of the move name it.
    const withUnit = { ...part, unit: unit._id };
    const moved = await desk.move(context, withUnit, status, { decision: 'assigned', comment: input.comment, signed }, { set: { unit: unit._id } });
    await desk.record(context, 'reference.assigned', referenceId, { unit: unit.code });
    return moved;
  });
}

/**
 * An execution report: a unit's (sealed for the unit, opened for its ILOs; back to the ILO) or
 * an ILO's own (sealed for the agency's ILOs, opened for the CBI; up to the CBI).
 */
export function report(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: ReportInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const part = await findReference(referenceId);
    await authorize(context, 'reference:report', resourceOf(part));
    const fromUnit = context.actor.role === 'uo';
    const status = incomingLifecycle.next(part.status, fromUnit ? 'unit-report' : 'ilo-report');
    const agency = String(part.agency);
    const own = fromUnit ? groupOfDesk('unit', { agency, unit: String(part.unit) }) : groupOfDesk('ilo', { agency });
    const upper = fromUnit ? groupOfDesk('ilo', { agency }) : DESK_GROUP;
    const signed = await signedDecision(part, context.actor, { decision: 'report', ...input });
    const upward = await checkOpening(upper, input.upward, input.attachments, upper);
    const files = await bindFiles(context.actor, input.attachments, own, bindingOf(referenceId), 'reference');
    const item = await createItem(context, { group: own, ...input.body }, { boundTo: bindingOf(referenceId) });
    const at = now();
    await openForGroups(context, oid(item.id), input.attachments, [upward], at);
    const entry = { body: oid(item.id), attachments: files.map(oid), desk: fromUnit ? 'unit' : 'ilo', by: oid(context.actor.userId), at };
    const moved = await desk.move(context, part, status, { decision: fromUnit ? 'unit-reported' : 'ilo-reported', comment: input.comment, signed }, { push: { reports: entry } });
    await desk.record(context, 'reference.reported', referenceId, { desk: entry.desk, attachments: files.length });
    return moved;
  });
}

/** The ILO approves its unit's reports and sends them up: each opened for the CBI desk by re-wrapping. */
export function approve(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: ApproveInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const part = await findReference(referenceId);
    await authorize(context, 'reference:decide-ilo', resourceOf(part));
    if (!part.parent) throw new AppError(409, 'wrong-state', 'Only an agency’s part of an incoming reference is approved.');
    const status = incomingLifecycle.next(part.status, 'approve');
    const reports = (part.reports ?? []).filter((entry) => entry.desk === 'unit');
    if (reports.length === 0) throw new AppError(409, 'no-report', 'The unit has not reported yet: report yourself, or assign it to a unit.');
    const given = Object.keys(input.openings);
    if (given.length !== reports.length || !reports.every((entry) => given.includes(String(entry.body)))) {
      throw badRequest('Open every report of the unit for the CBI.', [{ field: 'openings', message: 'must open each report' }]);
    }
    const signed = await signedDecision(part, context.actor, { decision: 'approve', ...input });
    const at = now();
    for (const entry of reports) {
      const files = entry.attachments.map(String);
      const checked = await checkOpening(DESK_GROUP, input.openings[String(entry.body)]!, files, 'The CBI desk');
      await openForGroups(context, oid(entry.body), files, [checked], at);
    }
    const moved = await desk.move(context, part, status, { decision: 'approved', comment: input.comment, signed });
    await desk.record(context, 'reference.approved', referenceId, { reports: reports.length });
    return moved;
  });
}

/**
 * The CBI records the reply it sent abroad: an interim one keeps the reference open; a final one
 * closes it and every part still open.
 */
export function replyAbroad(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: ReplyAbroadInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:handle-incoming', resourceOf(reference));
    const next = incomingLifecycle.next(reference.status, 'reply-abroad');
    const country = reference.foreign?.country ?? '';
    const signed = await signedDecision(reference, context.actor, { decision: 'reply-abroad', ...input, transmissions: [{ country, reference: input.reference, medium: input.medium }] });
    const at = now();
    const sent = { reference: input.reference, medium: input.medium, final: input.final, by: oid(context.actor.userId), at };
    const moved = await desk.move(context, reference, input.final ? next : reference.status, { decision: input.final ? 'replied-abroad' : 'interim-reply-abroad', comment: input.comment, signed }, {
      push: { repliesAbroad: sent },
      set: input.final ? { closedAt: at } : {},
    });
    if (input.final) {
      const open = (await referencesByIds(reference.parts ?? [])).filter((part) => part.status !== 'closed');
      for (const part of open) await desk.move(context, part, incomingLifecycle.next(part.status, 'close-part'), { decision: 'closed', comment: 'Replied abroad by the CBI.', signed }, { set: { closedAt: at } });
    }
    await desk.record(context, 'reference.replied-abroad', referenceId, { final: input.final });
    return moved;
  });
}

/**
 * The CBI records a reminder the foreign NCB sent: kept in the history, and the desks holding
 * its parts are told again. Returns the parts still open, for them to be told.
 */
export function foreignReminder(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: ForeignReminderInput): Promise<{ reference: ReferenceDocument; open: ReferenceDocument[] }> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:handle-incoming', resourceOf(reference));
    if (!incomingLifecycle.allows(reference.status, 'foreign-reminder')) incomingLifecycle.next(reference.status, 'foreign-reminder');
    const signed = await signedDecision(reference, context.actor, { decision: 'foreign-reminder', ...input });
    const moved = await desk.move(context, reference, reference.status, { decision: 'foreign-reminder', comment: input.comment, signed });
    const open = (await referencesByIds(reference.parts ?? [])).filter((part) => part.status !== 'closed' && part.status !== 'at-cbi');
    await desk.record(context, 'reference.foreign-reminder', referenceId, { parts: open.length });
    return { reference: moved, open };
  });
}
