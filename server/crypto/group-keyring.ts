/**
 * The member's side of group keys, shared by the browser and Node clients: loads a group's
 * epochs, opens the member's envelopes, starts a new epoch when the group has none or a member
 * left, and shares envelopes with members who lack them (newcomers, colleagues with a new key).
 * The server only ever sees public keys and sealed envelopes.
 */
import {
  CryptoClientError,
  generateGroupKey,
  openEnvelope,
  readPublicKey,
  sealEnvelope,
  type PrivateKey,
  type PublicKey,
} from './client.js';

/** The few API calls the keyring makes, so that browser `fetch` and test clients both fit. */
export interface KeyringApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** The group state the server answers with (see server/sealed/groups/groups.service.ts). */
export interface GroupStateAnswer {
  group: string;
  members: { accountId: string; username: string; displayName: string; fingerprint?: string; publicKey?: string }[];
  epochs: { epoch: number; publicKey: string; fingerprint: string }[];
  envelopes: { epoch: number; data: string; sharedBy: string; sharerFingerprint: string }[];
  rotationNeeded: boolean;
  pendingShares: { accountId: string; fingerprint: string; epochs: number[] }[];
}

/** A group's keys as far as this member holds them. */
export interface GroupKeys {
  readonly group: string;
  /** The epoch new items go to, and its public key. */
  readonly current: { readonly epoch: number; readonly publicKey: PublicKey };
  /** Every epoch key this member holds, to read history. */
  readonly privateKeys: ReadonlyMap<number, PrivateKey>;
}

/** The signed-in officer, with their unlocked key. */
export interface KeyringOwner {
  readonly accountId: string;
  readonly privateKey: PrivateKey;
}

const base64 = {
  encode(bytes: Uint8Array): string {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
  decode(text: string): Uint8Array {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  },
};
export { base64 };

/** Opens and maintains group keys for one officer. */
export class GroupKeyring {
  readonly #cache = new Map<string, GroupKeys>();

  constructor(
    private readonly api: KeyringApi,
    private readonly owner: KeyringOwner,
    /** Finds the public key of a fingerprint (the signer of an envelope). */
    private readonly keyOf: (fingerprint: string) => Promise<PublicKey>,
  ) {}

  /** The group's keys, loading (and repairing: new epoch, pending shares) on first use or on `refresh`. */
  async keys(group: string, options: { refresh?: boolean } = {}): Promise<GroupKeys> {
    const cached = this.#cache.get(group);
    if (cached && !options.refresh) return cached;
    let state = await this.api.get<GroupStateAnswer>(`/api/groups/${encodeURIComponent(group)}`);
    // A member joining meanwhile makes the server refuse the new epoch: read the members again (a few times at most).
    for (let attempt = 1; state.epochs.length === 0 || state.rotationNeeded; attempt += 1) {
      const started = await this.#startEpoch(state, attempt < 3);
      state = await this.api.get<GroupStateAnswer>(`/api/groups/${encodeURIComponent(group)}`);
      if (started) break;
    }
    const privateKeys = await this.#openEnvelopes(state);
    await this.#sharePending(state, privateKeys);
    const latest = state.epochs[state.epochs.length - 1];
    if (!latest) throw new CryptoClientError('no-key-for-me', `The group ${group} has no key.`);
    const keys: GroupKeys = { group, current: { epoch: latest.epoch, publicKey: await readPublicKey(latest.publicKey) }, privateKeys };
    this.#cache.set(group, keys);
    return keys;
  }

  /** Starts the next epoch; false when the members changed meanwhile and `retry` allows another try. */
  async #startEpoch(state: GroupStateAnswer, retry: boolean): Promise<boolean> {
    const epoch = (state.epochs[state.epochs.length - 1]?.epoch ?? 0) + 1;
    const pair = await generateGroupKey({ group: state.group, epoch });
    const envelopes = [];
    for (const member of state.members) {
      if (!member.publicKey) continue;
      const data = await sealEnvelope({ groupPrivateKey: pair.privateKey, recipient: await readPublicKey(member.publicKey), sharer: this.owner.privateKey });
      envelopes.push({ recipient: member.accountId, data: base64.encode(data) });
    }
    try {
      await this.api.post(`/api/groups/${encodeURIComponent(state.group)}/epochs`, { epoch, publicKey: pair.publicKey, envelopes });
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Another member started this epoch first: theirs is as good; reload it.
      if (code === 'epoch-conflict') return true;
      if (code === 'members-changed' && retry) return false;
      throw error;
    }
    return true;
  }

  async #openEnvelopes(state: GroupStateAnswer): Promise<Map<number, PrivateKey>> {
    const keys = new Map<number, PrivateKey>();
    for (const envelope of state.envelopes) {
      const epoch = state.epochs.find((candidate) => candidate.epoch === envelope.epoch);
      if (!epoch) continue;
      keys.set(
        envelope.epoch,
        await openEnvelope({
          envelope: base64.decode(envelope.data),
          memberKey: this.owner.privateKey,
          sharerKeys: [await this.keyOf(envelope.sharerFingerprint)],
          expectedFingerprint: epoch.fingerprint,
        }),
      );
    }
    return keys;
  }

  async #sharePending(state: GroupStateAnswer, held: Map<number, PrivateKey>): Promise<void> {
    const envelopes = [];
    for (const pending of state.pendingShares) {
      if (pending.accountId === this.owner.accountId) continue;
      const member = state.members.find((candidate) => candidate.accountId === pending.accountId);
      if (!member?.publicKey) continue;
      const recipient = await readPublicKey(member.publicKey);
      for (const epoch of pending.epochs) {
        const key = held.get(epoch);
        if (!key) continue;
        const data = await sealEnvelope({ groupPrivateKey: key.armor(), recipient, sharer: this.owner.privateKey });
        envelopes.push({ epoch, recipient: pending.accountId, data: base64.encode(data) });
      }
    }
    if (envelopes.length) await this.api.post(`/api/groups/${encodeURIComponent(state.group)}/envelopes`, { envelopes });
  }
}
