/**
 * The officer's side of any request that moves between desks (broadcasts, references), shared by
 * the browser pages, the tests and the benchmarks: sealing a text for one's group, reading and
 * verifying one, opening a sealed body and its attachments for other groups by re-wrapping the
 * session key (the ciphertext is not touched), and signing and checking statements. The server
 * sees only ciphertext, key packets and signatures.
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

/** The parts of a request the client needs to open it: its sealed body and attachments. */
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

/** A statement an officer signed, as stored beside the step it records. */
export interface SignedJson {
  readonly statement: string;
  readonly signature: string;
  readonly fingerprint: string;
}

/** Request crypto for one signed-in officer. */
export class SealedRequestClient {
  constructor(
    protected readonly api: KeyringApi,
    protected readonly keyring: GroupKeyring,
    protected readonly privateKey: PrivateKey,
    protected readonly keyOf: (fingerprint: string) => Promise<PublicKey>,
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
    const sources = await this.sessionKeys(parts, extra, local.body);
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

  /** The officer's detached signature over a statement, dated `signedAt`. */
  sign(statement: string, signedAt: Date): Promise<string> {
    return signStatement({ statement, signer: this.privateKey, date: signedAt });
  }

  /** Checks a statement someone signed and the server stored: the statement, their signature, their key. */
  async verifySigned(signed: SignedJson): Promise<VerifiedSignature> {
    const signedAt = /^Signed at: (.+)$/m.exec(signed.statement)?.[1];
    return verifyStatement({
      statement: signed.statement,
      signature: signed.signature,
      signerKeys: [await this.keyOf(signed.fingerprint)],
      ...(signedAt ? { date: new Date(signedAt) } : {}),
    });
  }

  /** The session keys of a body, its files and extra sealed texts, opened once each with the officer's keys. */
  protected async sessionKeys(parts: SealedParts, extra: Record<string, { group: string; keyPackets: string }>, body?: { group: string; keyPackets: string }) {
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
