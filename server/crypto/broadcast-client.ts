/**
 * The officer's side of broadcasts: its steps as the API takes them, on the request crypto shared
 * with References (sealing, opening for other groups, signing).
 */
import { SealedRequestClient, type SealedParts, type SignedJson } from './sealed-request-client.js';
import type { VerifiedSignature } from './client.js';

export { MissingKeysError, type OpeningJson, type SealedJson, type SealedParts, type TargetKey } from './sealed-request-client.js';

const DESK = 'ncb-desk';

/** Broadcast crypto for one signed-in officer. */
export class BroadcastClient extends SealedRequestClient {
  // -------------------------------------------------------------------------------------------
  // The steps of a broadcast, as the API takes them

  /** Saves a draft (desk): `metadata` in clear, `text` sealed for the desk, attachments already uploaded there. */
  async compose(metadata: Record<string, unknown>, text: string, attachments: string[] = []): Promise<{ id: string; reviewRequired: boolean }> {
    const body = await this.seal(DESK, text);
    return this.api.post('/api/broadcasts', { ...metadata, body, attachments });
  }

  /** Replaces a draft's metadata, text and attachments (its author, before it is submitted). */
  async updateDraft(broadcastId: string, metadata: Record<string, unknown>, text: string, attachments: string[]): Promise<{ id: string; reviewRequired: boolean }> {
    const body = await this.seal(DESK, text);
    return this.api.post(`/api/broadcasts/${encodeURIComponent(broadcastId)}/draft`, { ...metadata, body, attachments });
  }

  /**
   * Sends a draft (its author), or approves one in review (a second officer): opens it for the
   * current key of every addressed agency's ILOs.
   */
  async send(
    broadcastId: string,
    as: 'author' | 'reviewer' = 'author',
    options: { leaveOutMissing?: boolean } = {},
  ): Promise<{ status: string; recipients: number; leftOut: number }> {
    const path = `/api/broadcasts/${encodeURIComponent(broadcastId)}`;
    const view = await this.api.get<SealedParts>(path);
    const { recipients } = await this.api.get<{ recipients: { agencyId: string; code: string; name: string; epoch?: number; publicKey?: string }[] }>(`${path}/recipients`);
    // Agencies whose ILOs have no key yet stop the send, unless the officer chose to leave them out.
    const leaveOut = options.leaveOutMissing ? recipients.filter((agency) => !agency.publicKey).map((agency) => agency.agencyId) : [];
    const openings = await this.openFor(
      view,
      recipients
        .filter((agency) => !leaveOut.includes(agency.agencyId))
        .map((agency) => ({ id: agency.agencyId, label: `${agency.name} (${agency.code})`, epoch: agency.epoch, publicKey: agency.publicKey })),
    );
    const body = { openings, leaveOut };
    return as === 'author' ? this.api.post(`${path}/send`, body) : this.api.post(`${path}/review`, { decision: 'approve', ...body });
  }

  /**
   * Sends a broadcast already out to the addressed agencies it left out for lack of a key: those
   * whose ILOs have one now get it; the others stay left out.
   */
  async sendToLeftOut(broadcastId: string): Promise<{ status: string; recipients: number; leftOut: number }> {
    const path = `/api/broadcasts/${encodeURIComponent(broadcastId)}`;
    const view = await this.api.get<SealedParts>(path);
    const { recipients } = await this.api.get<{ recipients: { agencyId: string; code: string; name: string; epoch?: number; publicKey?: string }[] }>(`${path}/recipients?leftOut=1`);
    const ready = recipients.filter((agency) => agency.publicKey);
    const openings = await this.openFor(
      view,
      ready.map((agency) => ({ id: agency.agencyId, label: `${agency.name} (${agency.code})`, epoch: agency.epoch, publicKey: agency.publicKey })),
    );
    const leaveOut = recipients.filter((agency) => !agency.publicKey).map((agency) => agency.agencyId);
    return this.api.post(`${path}/left-out`, { openings, leaveOut });
  }

  /** The statement the officer will sign to acknowledge a broadcast now (to show before signing). */
  async acknowledgementStatement(broadcastId: string, signedAt = new Date()): Promise<{ statement: string; signedAt: string }> {
    return this.api.get(`/api/broadcasts/${encodeURIComponent(broadcastId)}/statement?signedAt=${encodeURIComponent(signedAt.toISOString())}`);
  }

  /** Acknowledges with a signature over the statement the server rebuilds (checked to name this broadcast). */
  async acknowledge(broadcastId: string, signedAt = new Date()): Promise<unknown> {
    const { statement } = await this.acknowledgementStatement(broadcastId, signedAt);
    if (!statement.includes(`\nBroadcast: ${broadcastId}\n`)) throw new Error('The statement to sign does not name this broadcast.');
    const signature = await this.sign(statement, signedAt);
    return this.api.post(`/api/broadcasts/${encodeURIComponent(broadcastId)}/acknowledgements`, { signedAt: signedAt.toISOString(), signature });
  }

  /** Passes a broadcast on to units of the ILO's agency with instructions (sealed for the agency's ILOs, opened for each unit). */
  async disseminate(
    broadcastId: string,
    agencyId: string,
    units: readonly { unitId: string; name: string; epoch?: number | undefined; publicKey?: string | undefined }[],
    instructions: string,
    deadline?: Date,
  ): Promise<{ units: number }> {
    const path = `/api/broadcasts/${encodeURIComponent(broadcastId)}`;
    const view = await this.api.get<SealedParts>(path);
    const group = `agency-ilos:${agencyId}`;
    const sealed = await this.seal(group, instructions);
    const openings = await this.openFor(
      view,
      units.map((unit) => ({ id: unit.unitId, label: unit.name, epoch: unit.epoch, publicKey: unit.publicKey })),
      { instructions: { group, keyPackets: sealed.keyPackets } },
    );
    return this.api.post(`${path}/disseminations`, { instructions: sealed, units: openings, ...(deadline ? { deadline: deadline.toISOString() } : {}) });
  }

  /**
   * Answers up the chain: a unit's action-taken report (`own` its unit, `upper` its agency's ILOs)
   * or an agency's response (`own` its ILOs, `upper` the desk). Attachments are uploaded to `own` first.
   */
  async answer(broadcastId: string, kind: 'reports' | 'response', own: string, upper: string, text: string, attachments: string[] = []): Promise<unknown> {
    const body = await this.seal(own, text);
    const target = await this.api.get<{ epoch: number; publicKey: string }>(`/api/groups/${encodeURIComponent(upper)}/public-key`);
    const openings = await this.openFor({ body: '', attachments }, [{ id: 'upward', label: upper, ...target }], {}, { body: { group: own, keyPackets: body.keyPackets } });
    return this.api.post(`/api/broadcasts/${encodeURIComponent(broadcastId)}/${kind}`, { body, attachments, upward: openings['upward'] });
  }

  /** Checks an acknowledgement someone stored: the statement, their signature, their key. */
  verifyAcknowledgement(acknowledgement: SignedJson): Promise<VerifiedSignature> {
    return this.verifySigned(acknowledgement);
  }
}
