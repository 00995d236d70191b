/**
 * The officer's side of INTERPOL references: each step as the API takes it, on the request
 * crypto shared with Broadcast. Every decision is signed over the statement the server rebuilds
 * (asked for first, checked to name the reference); bodies and replies are sealed here and
 * opened for the next desk by re-wrapping their session keys.
 */
import { MissingKeysError, SealedRequestClient, type OpeningJson, type SealedParts } from './sealed-request-client.js';

/** What a decision's statement is built from (see statementSchema on the server). */
export interface DecisionFacts {
  readonly decision: 'submit' | 'forward' | 'return' | 'reject' | 'transmit' | 'reply' | 'close' | 'follow-up';
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

  /** The desks the next step opens the reference for, with their keys. */
  async #targets(referenceId: string, step: 'next' | 'below'): Promise<{ group: string; epoch?: number; publicKey?: string }[]> {
    return (await this.api.get<{ targets: { group: string; epoch?: number; publicKey?: string }[] }>(`/api/references/${encodeURIComponent(referenceId)}/targets?step=${step}`)).targets;
  }

  /** Opens sealed parts for each target group (all of them having a key, else MissingKeysError). */
  #openFor(parts: SealedParts, targets: readonly { group: string; epoch?: number; publicKey?: string }[], body?: { group: string; keyPackets: string }): Promise<Record<string, OpeningJson>> {
    const missing = targets.filter((target) => !target.publicKey);
    if (missing.length > 0) return Promise.reject(new MissingKeysError(missing.map((target) => target.group)));
    return this.openFor(parts, targets.map((target) => ({ id: target.group, label: target.group, epoch: target.epoch, publicKey: target.publicKey })), {}, body ? { body } : {});
  }
}
