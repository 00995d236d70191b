/** The CBI's side abroad: transmitting to the foreign NCBs, and recording what each sends back. */
import mongoose from 'mongoose';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { AppError, badRequest } from '../../errors.js';
import { bindFiles } from '../../sealed/files/files.service.js';
import { createItem } from '../../sealed/items/items.service.js';
import { checkOpening, openForGroups } from '../../workflow/openings.js';
import type { ReferenceDocument } from './reference.model.js';
import { referenceLifecycle } from './reference.lifecycle.js';
import type { CloseInput, ReplyInput, TransmitInput } from './reference.schema.js';
import { signedDecision } from './decide.js';
import { bindingOf, findReference, resourceOf, type ReferenceDesk } from './reference-desk.js';
import { DESK_GROUP, groupOfDesk } from '../../workflow/desk-groups.js';

type Country = ReferenceDocument['countries'][number];

/** The country of a reference named `name` (case aside), or a 400. */
function countryOf(reference: ReferenceDocument, name: string): Country {
  const country = reference.countries.find((entry) => entry.country.toLowerCase() === name.toLowerCase());
  if (!country) throw badRequest(`${name} is not one of the countries this reference asks.`, [{ field: 'country', message: 'not requested' }]);
  return country;
}

/**
 * The CBI transmits a reference it holds to foreign NCBs (all of them the first time; after a
 * follow-up, those it chooses), recording each country's INTERPOL reference and means.
 */
export function transmit(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: TransmitInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:decide-cbi', resourceOf(reference));
    const status = referenceLifecycle.next(reference.status, 'transmit');
    const named = new Set(input.transmissions.map((sent) => countryOf(reference, sent.country).country));
    if (named.size !== input.transmissions.length) throw badRequest('A country is named twice.', [{ field: 'transmissions', message: 'repeated country' }]);
    const firstTime = reference.countries.every((entry) => entry.transmissions.length === 0);
    const untransmitted = reference.countries.filter((entry) => !named.has(entry.country) && entry.transmissions.length === 0);
    if (firstTime && untransmitted.length > 0) {
      throw badRequest(`Transmit to every requested country: ${untransmitted.map((entry) => entry.country).join(', ')} missing.`, [{ field: 'transmissions', message: 'missing countries' }]);
    }
    const signed = await signedDecision(reference, context.actor, { decision: 'transmit', ...input });
    const at = now();
    const countries = reference.countries.map((entry) => {
      const sent = input.transmissions.find((transmission) => transmission.country.toLowerCase() === entry.country.toLowerCase());
      if (!sent) return entry;
      return {
        ...entry,
        transmissions: [...entry.transmissions, { reference: sent.reference, medium: sent.medium, followUp: !firstTime, by: new mongoose.Types.ObjectId(context.actor.userId), at }],
        // A follow-up asks again: the country's answer is awaited again.
        ...(firstTime ? {} : { answeredAt: undefined }),
      };
    });
    const moved = await desk.move(context, reference, status, { decision: 'transmitted', comment: input.comment, signed }, { set: { countries } });
    await desk.record(context, 'reference.transmitted', referenceId, { countries: input.transmissions.length, followUp: !firstTime });
    return moved;
  });
}

/**
 * Records a foreign NCB's reply: sealed for the CBI desk, with its files, and opened (session
 * keys re-wrapped in the CBI officer's browser, nothing uploaded again) for every desk below:
 * the agency's ILOs and, for a unit's reference, the unit. A final reply completes that country;
 * when every country has answered, the reference goes back to its author's desk.
 */
export function reply(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: ReplyInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:reply', resourceOf(reference));
    referenceLifecycle.next(reference.status, 'reply');
    const country = countryOf(reference, input.country);
    if (country.transmissions.length === 0) throw new AppError(409, 'not-transmitted', `Nothing was transmitted to ${country.country} yet.`);
    if (country.answeredAt) throw new AppError(409, 'already-answered', `${country.country} has already answered: record a follow-up first.`);
    const below = lowerGroups(reference);
    const given = Object.keys(input.openings);
    if (given.length !== below.length || !below.every((group) => given.includes(group))) {
      throw badRequest(`Open the reply for ${below.join(' and ') || 'nobody'}.`, [{ field: 'openings', message: 'must open for each desk below' }]);
    }
    const signed = await signedDecision(reference, context.actor, { decision: 'reply', comment: '', ...input, country: country.country });
    const checked = await Promise.all(below.map((group) => checkOpening(group, input.openings[group]!, input.attachments, group)));
    const files = await bindFiles(context.actor, input.attachments, DESK_GROUP, bindingOf(referenceId), 'reference');
    const item = await createItem(context, { group: DESK_GROUP, ...input.body }, { boundTo: bindingOf(referenceId) });
    const at = now();
    await openForGroups(context, new mongoose.Types.ObjectId(item.id), input.attachments, checked, at);
    const entry = { body: new mongoose.Types.ObjectId(item.id), attachments: files.map((id) => new mongoose.Types.ObjectId(id)), final: input.final, by: new mongoose.Types.ObjectId(context.actor.userId), at };
    const countries = reference.countries.map((candidate) =>
      candidate.country === country.country ? { ...candidate, replies: [...candidate.replies, entry], ...(input.final ? { answeredAt: at } : {}) } : candidate,
    );
    const allAnswered = countries.every((candidate) => candidate.answeredAt);
    const moved = await desk.move(context, reference, allAnswered ? 'answered' : 'abroad', { decision: input.final ? 'replied' : 'interim-reply', country: country.country, signed }, { set: { countries } });
    await desk.record(context, 'reference.replied', referenceId, { country: country.country, final: input.final, attachments: files.length });
    return moved;
  });
}

/** The author's desk closes the reference, or asks for a follow-up that the CBI transmits again. */
export function close(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: CloseInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    await authorize(context, 'reference:close', resourceOf(reference));
    const status = referenceLifecycle.next(reference.status, input.decision);
    const signed = await signedDecision(reference, context.actor, input);
    const moved = await desk.move(context, reference, status, { decision: input.decision === 'close' ? 'closed' : 'follow-up', comment: input.comment, signed }, {
      set: status === 'closed' ? { closedAt: now() } : {},
    });
    await desk.record(context, input.decision === 'close' ? 'reference.closed' : 'reference.followed-up', referenceId);
    return moved;
  });
}

/** The groups below the CBI that a reply is opened for: the agency's ILOs, and the unit for a unit's reference. */
export function lowerGroups(reference: ReferenceDocument): string[] {
  if (reference.originDesk === 'cbi') return [];
  const agency = String(reference.agency);
  return [groupOfDesk('ilo', { agency }), ...(reference.originDesk === 'unit' ? [groupOfDesk('unit', { agency, unit: String(reference.unit) })] : [])];
}
