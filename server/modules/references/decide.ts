/** Decisions at the desks: handing a draft on, forwarding, returning, rejecting; each signed. */
import mongoose from 'mongoose';
import type { Actor } from '../../access/actor.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { badRequest } from '../../errors.js';
import { agenciesByIds, agencyById, unitById } from '../organisation/organisation.lookups.js';
import { deadlineFor } from '../../workflow/deadlines.js';
import { checkOpening, openForGroups, type Opening } from '../../workflow/openings.js';
import { verifySigned, type SignedStatement } from '../../workflow/signed-statement.js';
import type { ReferenceDocument } from './reference.model.js';
import { referenceLifecycle } from './reference.lifecycle.js';
import type { DecisionInput, StatementInput } from './reference.schema.js';
import { decisionStatement } from './reference.statement.js';
import { findReference, labelOf, resourceOf, type ReferenceDesk } from './reference-desk.js';
import { DESK_GROUP, groupOfDesk } from '../../workflow/desk-groups.js';

/** What a decision's statement is built from, besides the reference and the officer. */
export type StatementFacts = Pick<StatementInput, 'decision' | 'signedAt' | 'comment'> & Partial<Pick<StatementInput, 'country' | 'final' | 'transmissions' | 'places'>>;

/** The statement `actor` signs for a decision on `reference` (what the server checks the signature against). */
export async function statementOf(reference: ReferenceDocument, actor: Actor, input: StatementFacts): Promise<string> {
  const [agency, unit] = await Promise.all([agencyById(actor.agencyId), actor.role === 'uo' && actor.unitId ? unitById(actor.unitId) : undefined]);
  const details = await detailsOf(input);
  return decisionStatement({
    referenceId: String(reference._id),
    direction: reference.direction,
    decision: input.decision,
    label: labelOf(reference),
    countries: reference.countries.map((entry) => entry.country),
    handlingCode: reference.handling.code,
    username: actor.username,
    role: actor.role,
    agencyCode: agency?.code ?? '?',
    unitCode: unit?.code,
    comment: input.comment,
    details,
    signedAt: input.signedAt,
  });
}

/** The lines of a statement that say what the decision did beyond its name: where it sent it, what went abroad. */
async function detailsOf(input: StatementFacts): Promise<string[]> {
  switch (input.decision) {
    case 'transmit':
    case 'reply-abroad':
      return (input.transmissions ?? []).map((sent) => `${input.decision === 'transmit' ? 'Transmitted to' : 'Reply sent to'}: ${sent.country}, ${sent.reference} (${sent.medium})${input.decision === 'reply-abroad' ? (input.final === false ? ', interim' : ', final') : ''}`);
    case 'reply':
      return [`Reply recorded from: ${input.country ?? ''} (${input.final === false ? 'interim' : 'final'})`];
    case 'forward-agencies':
      return [`Forwarded to: ${(await agenciesByIds(input.places ?? [])).map((agency) => agency.code).join(', ')}`];
    case 'assign':
      return [`Assigned to unit: ${(await unitById(input.places?.[0]))?.code ?? '?'}`];
    default:
      return [];
  }
}

/** Checks the officer's signature over the statement of this decision, rebuilt here. */
export async function signedDecision(reference: ReferenceDocument, actor: Actor, input: StatementFacts & { signature: string }): Promise<SignedStatement> {
  const statement = await statementOf(reference, actor, input);
  return verifySigned(actor, { statement, signature: input.signature, signedAt: input.signedAt }, 'a decision');
}

/** The statement to sign for a decision the caller may take now. */
export async function statementFor(context: AuthorizeContext, referenceId: string, input: StatementInput): Promise<{ statement: string; signedAt: string }> {
  const reference = await findReference(referenceId);
  await authorize(context, 'reference:read', resourceOf(reference));
  return { statement: await statementOf(reference, context.actor, input), signedAt: input.signedAt.toISOString() };
}

/** Opens the reference's body and attachments for the next desk's group, checked first. */
async function openFor(context: AuthorizeContext, reference: ReferenceDocument, group: string, opening: Opening, at: Date): Promise<void> {
  const checked = await checkOpening(group, opening, reference.attachments.map(String), group === DESK_GROUP ? 'The CBI desk' : 'The agency’s ILOs');
  await openForGroups(context, new mongoose.Types.ObjectId(String(reference.body)), reference.attachments.map(String), [checked], at);
}

/**
 * Takes a decision on a reference at the desk holding it. A draft's author hands it on (to the
 * agency's ILO from a unit, else to the CBI), opening it for that desk; the ILO forwards it to
 * the CBI, opening it for the desk; either review may return it to its author or reject it.
 */
export function decide(desk: ReferenceDesk, context: AuthorizeContext, referenceId: string, input: DecisionInput): Promise<ReferenceDocument> {
  return desk.locks.run(referenceId, async () => {
    const reference = await findReference(referenceId);
    const resource = resourceOf(reference);
    const at = now();
    if (input.decision === 'submit') {
      await authorize(context, 'reference:edit', resource);
      const toIlo = reference.originDesk === 'unit';
      const status = referenceLifecycle.next(reference.status, toIlo ? 'submit-to-ilo' : 'submit-to-cbi');
      const signed = await signedDecision(reference, context.actor, input);
      // The CBI's own reference is sealed for the desk already: nothing to open.
      if (reference.originDesk !== 'cbi') {
        if (!input.opening) throw badRequest('Open the reference for the next desk.', [{ field: 'opening', message: 'is required' }]);
        await openFor(context, reference, toIlo ? groupOfDesk('ilo', { agency: String(reference.agency) }) : DESK_GROUP, input.opening, at);
      }
      const moved = await desk.move(context, reference, status, { decision: 'submitted', comment: input.comment, signed }, {
        set: reference.submittedAt ? {} : { submittedAt: at, deadline: deadlineFor(reference.priority, at, reference.requestedDeadline) },
      });
      await desk.record(context, 'reference.submitted', referenceId, { to: toIlo ? 'ilo' : 'cbi' });
      return moved;
    }
    await authorize(context, reference.status === 'at-ilo' ? 'reference:decide-ilo' : 'reference:decide-cbi', resource);
    if (input.decision === 'forward') {
      const status = referenceLifecycle.next(reference.status, 'forward');
      const signed = await signedDecision(reference, context.actor, input);
      await openFor(context, reference, DESK_GROUP, input.opening, at);
      const moved = await desk.move(context, reference, status, { decision: 'forwarded', comment: input.comment, signed });
      await desk.record(context, 'reference.forwarded', referenceId);
      return moved;
    }
    const status = referenceLifecycle.next(reference.status, input.decision);
    if (!input.comment) throw badRequest('Say why.', [{ field: 'comment', message: 'is required' }]);
    const signed = await signedDecision(reference, context.actor, input);
    const moved = await desk.move(context, reference, status, { decision: input.decision === 'return' ? 'returned' : 'rejected', comment: input.comment, signed }, {
      set: status === 'rejected' ? { closedAt: at } : {},
    });
    await desk.record(context, input.decision === 'return' ? 'reference.returned' : 'reference.rejected', referenceId, { at: reference.status });
    return moved;
  });
}
