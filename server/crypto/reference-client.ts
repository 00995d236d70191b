/**
 * The officer's side of INTERPOL references: each step as the API takes it, on the request
 * crypto shared with Broadcast. Every decision is signed over the statement the server rebuilds
 * (asked for first, checked to name the reference); bodies and replies are sealed here and
 * opened for the next desk by re-wrapping their session keys.
 */
import { MissingKeysError, SealedRequestClient, type OpeningJson, type SealedParts } from './sealed-request-client.js';

/** What a decision's statement is built from (see statementSchema on the server). */
export interface DecisionFacts {
  readonly decision:
    | 'submit'
    | 'forward'
    | 'return'
    | 'reject'
    | 'transmit'
    | 'reply'
    | 'close'
    | 'follow-up'
    | 'forward-agencies'
    | 'assign'
    | 'report'
    | 'approve'
    | 'reply-abroad'
    | 'foreign-reminder';
  readonly places?: readonly string[];
  readonly comment?: string;
  readonly country?: string;
  readonly final?: boolean;
  readonly transmissions?: readonly { country: string; reference: string; medium?: string }[];
}

/** The groups of the desks a reference passes: a unit's, an agency's ILOs', the CBI's. */
export const unitGroupOf = (unitId: string): string => `unit:${unitId}`;
export const ilosGroupOf = (agencyId: string): string => `agency-ilos:${agencyId}`;
export const DESK_GROUP = 'ncb-desk';

/** References crypto for one signed-in officer. */
export class ReferenceClient extends SealedRequestClient {
  /** The time decisions are signed at (the portal's clock in tests that move it). */
  clock: () => Date = () => new Date();

  /** Drafts a reference: `metadata` in clear, `text` sealed for `group` (the author's desk), attachments uploaded there. */
  draft(group: string, metadata: Record<string, unknown>, text: string, attachments: string[] = []): Promise<{ id: string }> {
    return this.seal(group, text).then((body) => this.api.post('/api/references', { ...metadata, body, attachments }));
  }

  /** Signs a decision now: the statement is asked of the server, checked to name the reference, and signed. */
  async signDecision(referenceId: string, facts: DecisionFacts): Promise<{ signedAt: string; signature: string }> {
    const signedAt = this.clock();
    const { statement } = await this.api.post<{ statement: string }>(`/api/references/${encodeURIComponent(referenceId)}/statement`, {
      ...facts,
      signedAt: signedAt.toISOString(),
    });
    if (!statement.includes(`\nReference: ${referenceId}\n`) || !statement.includes(`\nDecision: ${facts.decision}\n`)) {
      throw new Error('The statement to sign does not name this reference and decision.');
    }
    return { signedAt: signedAt.toISOString(), signature: await this.sign(statement, signedAt) };
  }

  /**
   * Hands a draft on (`submit`) or passes it up (`forward`): signed, and opened for the next
   * desk's current key (none for the CBI's own reference, sealed for the desk already).
   */
  async handOn(referenceId: string, decision: 'submit' | 'forward', comment = ''): Promise<unknown> {
    const path = `/api/references/${encodeURIComponent(referenceId)}`;
    const [target] = await this.#targets(referenceId, 'next');
    const opening = target ? (await this.#openFor(await this.api.get<SealedParts>(path), [target]))[target.group] : undefined;
    const signed = await this.signDecision(referenceId, { decision, comment });
    return this.api.post(`${path}/decisions`, { decision, comment, ...signed, ...(opening ? { opening } : {}) });
  }

  /** Returns a reference to its author, or rejects it, saying why; signed. */
  async judge(referenceId: string, decision: 'return' | 'reject', comment: string): Promise<unknown> {
    const signed = await this.signDecision(referenceId, { decision, comment });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/decisions`, { decision, comment, ...signed });
  }

  /** The CBI records the transmission to each foreign NCB; signed. */
  async transmit(referenceId: string, transmissions: { country: string; reference: string; medium?: string }[], comment = ''): Promise<unknown> {
    const sent = transmissions.map((transmission) => ({ medium: 'i24-7', ...transmission }));
    const signed = await this.signDecision(referenceId, { decision: 'transmit', transmissions: sent, comment });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/transmissions`, { transmissions: sent, comment, ...signed });
  }

  /**
   * The CBI records a foreign reply: sealed for the desk (attachments uploaded there), and opened
   * for each desk below it by re-wrapping, without uploading anything again.
   */
  async recordReply(referenceId: string, country: string, text: string, options: { final?: boolean; attachments?: string[] } = {}): Promise<unknown> {
    const attachments = options.attachments ?? [];
    const body = await this.seal(DESK_GROUP, text);
    const openings = await this.#openFor({ body: '', attachments }, await this.#targets(referenceId, 'below'), { group: DESK_GROUP, keyPackets: body.keyPackets });
    const final = options.final ?? true;
    const signed = await this.signDecision(referenceId, { decision: 'reply', country, final });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/replies`, { country, final, body, attachments, openings, ...signed });
  }

  /** The author's desk closes it, or asks for a follow-up; signed. */
  async close(referenceId: string, decision: 'close' | 'follow-up', comment = ''): Promise<unknown> {
    const signed = await this.signDecision(referenceId, { decision, comment });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/close`, { decision, comment, ...signed });
  }

  // -------------------------------------------------------------------------------------------
  // Incoming references

  /** The CBI registers a foreign NCB's reference: `metadata` in clear, `text` sealed for the desk. */
  async register(metadata: Record<string, unknown>, text: string, attachments: string[] = []): Promise<{ id: string }> {
    const body = await this.seal(DESK_GROUP, text);
    return this.api.post('/api/references/incoming', { ...metadata, body, attachments });
  }

  /** The CBI forwards it to agencies: the request opened for each agency's ILOs; signed. */
  async forwardToAgencies(referenceId: string, agencyIds: readonly string[], comment = ''): Promise<unknown> {
    const path = `/api/references/${encodeURIComponent(referenceId)}`;
    const targets = await this.#targets(referenceId, 'agencies', agencyIds);
    const opened = await this.#openFor(await this.api.get<SealedParts>(path), targets);
    const openings = Object.fromEntries(targets.map((target) => [target.group.slice('agency-ilos:'.length), opened[target.group]]));
    const signed = await this.signDecision(referenceId, { decision: 'forward-agencies', comment, places: agencyIds });
    return this.api.post(`${path}/agencies`, { openings, comment, ...signed });
  }

  /** An ILO assigns its agency's part to a unit: the request opened for the unit's key; signed. */
  async assign(referenceId: string, unitId: string, comment = ''): Promise<unknown> {
    const path = `/api/references/${encodeURIComponent(referenceId)}`;
    const [target] = await this.#targets(referenceId, 'unit', [unitId]);
    const opening = (await this.#openFor(await this.api.get<SealedParts>(path), [target!]))[target!.group];
    const signed = await this.signDecision(referenceId, { decision: 'assign', comment, places: [unitId] });
    return this.api.post(`${path}/assignment`, { unit: unitId, opening, comment, ...signed });
  }

  /** An execution report, sealed for `own` (the writer's desk; attachments uploaded there) and opened for the desk above; signed. */
  async report(referenceId: string, own: string, text: string, attachments: string[] = [], comment = ''): Promise<unknown> {
    const body = await this.seal(own, text);
    const [target] = await this.#targets(referenceId, 'upward');
    const upward = (await this.#openFor({ body: '', attachments }, [target!], { group: own, keyPackets: body.keyPackets }))[target!.group];
    const signed = await this.signDecision(referenceId, { decision: 'report', comment });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/reports`, { body, attachments, upward, comment, ...signed });
  }

  /** The ILO approves its unit's reports: each opened for the CBI desk by re-wrapping; signed. */
  async approve(referenceId: string, comment = ''): Promise<unknown> {
    const path = `/api/references/${encodeURIComponent(referenceId)}`;
    const view = await this.api.get<{ reports: { body: string; attachments: string[]; desk: string }[] }>(path);
    const [target] = await this.#targets(referenceId, 'next');
    const openings: Record<string, OpeningJson> = {};
    for (const report of view.reports.filter((entry) => entry.desk === 'unit')) {
      openings[report.body] = (await this.#openFor({ body: report.body, attachments: report.attachments }, [target!]))[target!.group]!;
    }
    const signed = await this.signDecision(referenceId, { decision: 'approve', comment });
    return this.api.post(`${path}/approval`, { openings, comment, ...signed });
  }

  /** The CBI records the reply it sent abroad (final, or interim); signed. */
  async replyAbroad(referenceId: string, country: string, reference: string, options: { final?: boolean; medium?: string; comment?: string } = {}): Promise<unknown> {
    const medium = options.medium ?? 'i24-7';
    const final = options.final ?? true;
    const comment = options.comment ?? '';
    const signed = await this.signDecision(referenceId, { decision: 'reply-abroad', comment, final, transmissions: [{ country, reference, medium }] });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/replies-abroad`, { reference, medium, final, comment, ...signed });
  }

  /** The CBI records a reminder the foreign NCB sent; signed. */
  async foreignReminder(referenceId: string, comment: string): Promise<unknown> {
    const signed = await this.signDecision(referenceId, { decision: 'foreign-reminder', comment });
    return this.api.post(`/api/references/${encodeURIComponent(referenceId)}/foreign-reminders`, { comment, ...signed });
  }

  /** The desks the next step opens the reference for, with their keys. */
  async #targets(referenceId: string, step: 'next' | 'below' | 'upward' | 'agencies' | 'unit', ids: readonly string[] = []): Promise<{ group: string; epoch?: number; publicKey?: string }[]> {
    const query = `step=${step}${ids.length ? `&ids=${ids.map(encodeURIComponent).join(',')}` : ''}`;
    return (await this.api.get<{ targets: { group: string; epoch?: number; publicKey?: string }[] }>(`/api/references/${encodeURIComponent(referenceId)}/targets?${query}`)).targets;
  }

  /** Opens sealed parts for each target group (all of them having a key, else MissingKeysError). */
  #openFor(parts: SealedParts, targets: readonly { group: string; epoch?: number; publicKey?: string }[], body?: { group: string; keyPackets: string }): Promise<Record<string, OpeningJson>> {
    const missing = targets.filter((target) => !target.publicKey);
    if (missing.length > 0) return Promise.reject(new MissingKeysError(missing.map((target) => target.group)));
    return this.openFor(parts, targets.map((target) => ({ id: target.group, label: target.group, epoch: target.epoch, publicKey: target.publicKey })), {}, body ? { body } : {});
  }
}
