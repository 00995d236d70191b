/**
 * The officer's side of broadcasts, shared by the browser pages, the tests and the benchmark:
 * sealing a body for one's group, opening it (and its attachments) for other groups by re-wrapping
 * the session key, reading and verifying, and signing acknowledgements. The server sees only
 * ciphertext, key packets and signatures.
 */
import {
  contentText,
  CryptoClientError,
  openItem,
  readPublicKey,
  sealItem,
  SessionKeyWrapper,
  signStatement,
  verifyStatement,
  type PrivateKey,
  type PublicKey,
  type VerifiedSignature,
} from './client.js';
import { base64, type GroupKeyring, type KeyringApi } from './group-keyring.js';

const DESK = 'ncb-desk';

/** A sealed text as the API takes it. */
export interface SealedJson {
  epoch: number;
  body: string;
  keyPackets: string;
}

/** Key packets opening a body and its attachments for one group's epoch key. */
export interface OpeningJson {
  epoch: number;
  body: string;
  attachments: Record<string, string>;
}

/** A group (an agency's ILOs, a unit, the desk) and its current public key. */
export interface TargetKey {
  readonly id: string;
  readonly label: string;
  readonly epoch?: number | undefined;
  readonly publicKey?: string | undefined;
}

/** The part of a broadcast the client needs to open it (see BroadcastView on the server). */
export interface SealedParts {
  readonly body: string;
  readonly attachments: readonly string[];
}

/** Raised when some recipients have no group key yet (nobody has signed in there). */
export class MissingKeysError extends Error {
  constructor(readonly labels: string[]) {
    super(`No key yet for: ${labels.join(', ')}. None of their officers has signed in to the portal yet; the first who does (on any page) makes the key, and then they can be sent to.`);
    this.name = 'MissingKeysError';
  }
}

interface ItemAnswer {
  via: string;
  body: string;
  keyPackets: string;
  authorFingerprint: string;
}

/** Broadcast crypto for one signed-in officer. */
export class BroadcastClient {
  constructor(
    private readonly api: KeyringApi,
    private readonly keyring: GroupKeyring,
    private readonly privateKey: PrivateKey,
    private readonly keyOf: (fingerprint: string) => Promise<PublicKey>,
  ) {}

  /** Seals `text`, signed by the officer, for `group`'s current key. */
  async seal(group: string, text: string): Promise<SealedJson> {
    const keys = await this.keyring.keys(group, { refresh: true });
    // Sealed for the group and for the author, who can then always open and pass it on.
    const sealed = await sealItem({ content: text, recipients: [keys.current.publicKey, this.privateKey.toPublic()], signer: this.privateKey });
    return { epoch: keys.current.epoch, body: base64.encode(sealed.body), keyPackets: base64.encode(sealed.keyPackets) };
  }

  /** Reads and verifies a sealed item the officer can open; returns its text and who signed it. */
  async read(itemId: string): Promise<{ text: string; signature: VerifiedSignature; authorFingerprint: string }> {
    const item = await this.api.get<ItemAnswer>(`/api/items/${encodeURIComponent(itemId)}`);
    const keys = await this.keyring.keys(item.via);
    const opened = await openItem({
      item: { body: base64.decode(item.body), keyPackets: base64.decode(item.keyPackets) },
      decryptionKeys: [...keys.privateKeys.values(), this.privateKey],
      authorKeys: [await this.keyOf(item.authorFingerprint)],
    });
    return { text: contentText(opened.content), signature: opened.signature, authorFingerprint: item.authorFingerprint };
  }

  /**
   * Opens a body and its attachments for each target's current key: the officer's own key packets
   * are unwrapped and wrapped again (the ciphertext is not touched). Targets without a key fail
   * together, with their names.
   */
  async openFor(
    parts: SealedParts,
    targets: readonly TargetKey[],
    /** More key packets to wrap for each target, by name: say instructions just sealed for `group`. */
    extra: Record<string, { group: string; keyPackets: string }> = {},
    /** The body's key packets when it is not stored yet (an answer being written). */
    local: { body?: { group: string; keyPackets: string } } = {},
  ): Promise<Record<string, OpeningJson & Record<string, unknown>>> {
    const missing = targets.filter((target) => !target.publicKey || !target.epoch);
    if (missing.length > 0) throw new MissingKeysError(missing.map((target) => target.label));
    const sources = await this.#sessionKeys(parts, extra, local.body);
    const openings: Record<string, OpeningJson & Record<string, unknown>> = {};
    for (const target of targets) {
      const recipients = [await readPublicKey(target.publicKey!)];
      const wrap = async (source: SessionKeyWrapper): Promise<string> => base64.encode(await source.wrapFor(recipients));
      const attachments: Record<string, string> = {};
      for (const fileId of parts.attachments) attachments[fileId] = await wrap(sources.files.get(fileId)!);
      const opening: OpeningJson & Record<string, unknown> = { epoch: target.epoch!, body: await wrap(sources.body), attachments };
      for (const [name, source] of sources.extra) opening[name] = await wrap(source);
      openings[target.id] = opening;
    }
    return openings;
  }

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
    const signature = await signStatement({ statement, signer: this.privateKey, date: signedAt });
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
  async verifyAcknowledgement(acknowledgement: { statement: string; signature: string; fingerprint: string }): Promise<VerifiedSignature> {
    const signedAt = /^Signed at: (.+)$/m.exec(acknowledgement.statement)?.[1];
    return verifyStatement({
      statement: acknowledgement.statement,
      signature: acknowledgement.signature,
      signerKeys: [await this.keyOf(acknowledgement.fingerprint)],
      ...(signedAt ? { date: new Date(signedAt) } : {}),
    });
  }

  /** The session keys of a body, its files and extra sealed texts, opened once each with the officer's keys. */
  async #sessionKeys(parts: SealedParts, extra: Record<string, { group: string; keyPackets: string }>, body?: { group: string; keyPackets: string }) {
    const open = async (keyPackets: Uint8Array, group: string): Promise<SessionKeyWrapper> => {
      const keys = await this.keyring.keys(group);
      try {
        return await SessionKeyWrapper.open(keyPackets, [...keys.privateKeys.values(), this.privateKey]);
      } catch (error) {
        if (error instanceof CryptoClientError && error.reason === 'no-key-for-me') {
          throw new CryptoClientError('no-key-for-me', 'You do not hold the group key this was sealed with yet: a colleague who holds it shares it when they next open the portal.', { cause: error });
        }
        throw error;
      }
    };
    const stored = async (kind: 'items' | 'files', id: string): Promise<SessionKeyWrapper> => {
      const answer = await this.api.get<{ via: string; keyPackets: string }>(`/api/${kind}/${encodeURIComponent(id)}`);
      return open(base64.decode(answer.keyPackets), answer.via);
    };
    const files = new Map<string, SessionKeyWrapper>();
    for (const fileId of parts.attachments) files.set(fileId, await stored('files', fileId));
    const extras = new Map<string, SessionKeyWrapper>();
    for (const [name, sealed] of Object.entries(extra)) extras.set(name, await open(base64.decode(sealed.keyPackets), sealed.group));
    return { body: body ? await open(base64.decode(body.keyPackets), body.group) : await stored('items', parts.body), files, extra: extras };
  }
}
