import {
  contentText,
  FileOpener,
  FileSealer,
  generateGroupKey,
  openItem,
  readPublicKey,
  sealEnvelope,
  sealItem,
  unlockPrivateKey,
  type PrivateKey,
  type PublicKey,
  type SealedItem,
} from '../../server/crypto/client.js';
import { now } from '../../server/clock.js';
import { BroadcastClient } from '../../server/crypto/broadcast-client.js';
import { NoticeClient } from '../../server/crypto/notice-client.js';
import { ReferenceClient } from '../../server/crypto/reference-client.js';
import { base64, GroupKeyring, type GroupStateAnswer, type KeyringApi } from '../../server/crypto/group-keyring.js';
import { deriveSecrets, type KdfParameters } from '../../server/crypto/kdf.js';
import type { PortalClient } from './client.js';
import type { Officer } from './fixtures.js';

/** An API error as the keyring expects it: with the server's code. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

/** Adapts a test client to the keyring's API calls, failing with the server's code. */
export function keyringApi(client: PortalClient): KeyringApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await client.request<T & { error?: { code: string } }>(method, path, body === undefined ? {} : { json: body });
    if (answer.status >= 400) throw new ApiCallError(answer.status, answer.body.error?.code ?? 'http-error');
    return answer.body;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

/** A signed-in officer with their key unlocked, as the browser holds it after sign-in. */
export interface CryptoOfficer {
  readonly officer: Officer;
  readonly client: PortalClient;
  readonly privateKey: PrivateKey;
  readonly fingerprint: string;
  readonly keyring: GroupKeyring;
  /** Public key of any fingerprint, from the server. */
  keyOf(fingerprint: string): Promise<PublicKey>;
  /** Seals `text` for the group's current epoch and stores it; returns the item id. */
  post(group: string, text: string): Promise<string>;
  /** Reads an item and verifies its author; returns the text (throws on any failure). */
  read(itemId: string): Promise<string>;
}

/** Signs `officer` in, derives their key passphrase and unlocks their key. */
export async function withCrypto(officer: Officer): Promise<CryptoOfficer> {
  const client = await officer.signIn();
  const kdf = await client.request<KdfParameters>('POST', '/api/auth/kdf', { json: { username: officer.username } });
  const { keyPassphrase } = await deriveSecrets(officer.password, kdf.body);
  const mine = await client.request<{ fingerprint: string; encryptedPrivateKey: string }>('GET', '/api/me/key');
  if (mine.status !== 200) throw new Error(`${officer.username} has no key`);
  const privateKey = await unlockPrivateKey(mine.body.encryptedPrivateKey, keyPassphrase);
  const api = keyringApi(client);
  const keyOf = async (fingerprint: string): Promise<PublicKey> => readPublicKey((await api.get<{ publicKey: string }>(`/api/keys/${fingerprint}`)).publicKey);
  const keyring = new GroupKeyring(api, { accountId: String(officer.account._id), privateKey }, keyOf);
  return {
    officer,
    client,
    privateKey,
    fingerprint: mine.body.fingerprint,
    keyring,
    keyOf,
    async post(group, text) {
      const keys = await keyring.keys(group, { refresh: true });
      const sealed = await sealItem({ content: text, recipients: [keys.current.publicKey], signer: privateKey });
      const id = await api.post<{ id: string }>('/api/items', {
        group,
        epoch: keys.current.epoch,
        body: base64.encode(sealed.body),
        keyPackets: base64.encode(sealed.keyPackets),
      });
      return id.id;
    },
    async read(itemId) {
      const item = await api.get<{ via: string; epoch: number; body: string; keyPackets: string; authorFingerprint: string }>(`/api/items/${itemId}`);
      const keys = await keyring.keys(item.via, { refresh: true });
      const sealed: SealedItem = { body: base64.decode(item.body), keyPackets: base64.decode(item.keyPackets) };
      const opened = await openItem({ item: sealed, decryptionKeys: [...keys.privateKeys.values()], authorKeys: [await keyOf(item.authorFingerprint)] });
      return contentText(opened.content);
    },
  };
}

/** Uploads `bytes` as an encrypted file to `group` through the API; returns the file id. */
export async function uploadFile(officer: CryptoOfficer, group: string, name: string, bytes: Uint8Array, type = 'application/pdf'): Promise<string> {
  const api = keyringApi(officer.client);
  const keys = await officer.keyring.keys(group, { refresh: true });
  const sealer = await FileSealer.create({
    name,
    type,
    source: { size: bytes.length, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) },
    recipients: [keys.current.publicKey],
    signer: officer.privateKey,
  });
  return sealer.upload({
    create: async ({ keyPackets, chunkCount }) =>
      (await api.post<{ id: string }>('/api/files', { group, epoch: keys.current.epoch, keyPackets: base64.encode(keyPackets), chunkCount })).id,
    putChunk: async (fileId, index, chunk) => {
      const form = new FormData();
      form.append('chunk', new Blob([Buffer.from(chunk)]), 'chunk.pgp');
      const answer = await fetch(`${officer.client.baseUrl}/api/files/${fileId}/chunks/${index}`, {
        method: 'PUT',
        headers: { cookie: officer.client.cookie ?? '', 'x-csrf-token': officer.client.csrfToken ?? '' },
        body: form,
      });
      if (answer.status !== 200) throw new Error(`chunk ${index}: ${answer.status} ${await answer.text()}`);
    },
    complete: async (fileId) => {
      await api.post(`/api/files/${fileId}/complete`, {});
    },
  });
}

/** Downloads and decrypts a file as `officer`; returns its manifest and bytes. */
export async function downloadFile(officer: CryptoOfficer, fileId: string): Promise<{ name: string; bytes: Buffer }> {
  const api = keyringApi(officer.client);
  const meta = await api.get<{ via: string; keyPackets: string; authorFingerprint: string; chunkCount: number }>(`/api/files/${fileId}`);
  const keys = await officer.keyring.keys(meta.via, { refresh: true });
  const opener = await FileOpener.create({
    fileId,
    keyPackets: base64.decode(meta.keyPackets),
    decryptionKeys: [...keys.privateKeys.values()],
    authorKeys: [await officer.keyOf(meta.authorFingerprint)],
  });
  const chunk = async (index: number): Promise<Uint8Array> => {
    const answer = await fetch(`${officer.client.baseUrl}/api/files/${fileId}/chunks/${index}`, { headers: { cookie: officer.client.cookie ?? '' } });
    if (answer.status !== 200) throw new Error(`chunk ${index}: ${answer.status}`);
    return new Uint8Array(await answer.arrayBuffer());
  };
  const manifest = await opener.openManifest(await chunk(0));
  const parts: Uint8Array[] = [];
  for (let index = 1; index <= manifest.chunks; index += 1) parts.push(await opener.openChunk(await chunk(index), index));
  return { name: manifest.name, bytes: Buffer.concat(parts) };
}

/** The broadcast steps (seal, open for others, sign) for an officer with their key unlocked. */
export function broadcastClientOf(officer: CryptoOfficer): BroadcastClient {
  return new BroadcastClient(keyringApi(officer.client), officer.keyring, officer.privateKey, (fingerprint) => officer.keyOf(fingerprint));
}

/** The reference steps (seal, open for the next desk, sign decisions) for an officer with their key unlocked. */
export function referenceClientOf(officer: CryptoOfficer): ReferenceClient {
  return new ReferenceClient(keyringApi(officer.client), officer.keyring, officer.privateKey, (fingerprint) => officer.keyOf(fingerprint));
}

/** An officer at a References desk: signed in with their key unlocked, and their references client. */
export interface ReferenceDeskOfficer {
  readonly crypto: CryptoOfficer;
  readonly references: ReferenceClient;
}

/** Signs `officer` in for References, their decisions signed at the portal's clock (which tests move). */
export async function referenceDeskOf(officer: Officer): Promise<ReferenceDeskOfficer> {
  const crypto = await withCrypto(officer);
  const references = referenceClientOf(crypto);
  references.clock = now;
  return { crypto, references };
}

/**
 * Starts a new epoch of a shared group (the CBI's desk, used by every test of a run) sealed for
 * its members as they are now, so that a desk officer a test just created holds its key: in the
 * portal, a colleague online shares it with newcomers; in a test nobody else is online.
 */
export async function freshGroupKey(officer: CryptoOfficer, group: string): Promise<void> {
  const state = (await officer.client.request<GroupStateAnswer>('GET', `/api/groups/${encodeURIComponent(group)}`)).body;
  const epoch = (state.epochs.at(-1)?.epoch ?? 0) + 1;
  const pair = await generateGroupKey({ group, epoch });
  const envelopes = [];
  for (const member of state.members) {
    if (!member.publicKey) continue;
    const data = await sealEnvelope({ groupPrivateKey: pair.privateKey, recipient: await readPublicKey(member.publicKey), sharer: officer.privateKey });
    envelopes.push({ recipient: member.accountId, data: base64.encode(data) });
  }
  const answer = await officer.client.request('POST', `/api/groups/${encodeURIComponent(group)}/epochs`, { json: { epoch, publicKey: pair.publicKey, envelopes } });
  if (answer.status !== 200 && answer.status !== 201) throw new ApiCallError(answer.status, JSON.stringify(answer.body));
  await officer.keyring.keys(group, { refresh: true });
}

/** An officer at a Notices desk: signed in with their key unlocked, and their notices client (signing at the portal's clock). */
export interface NoticeDeskOfficer {
  readonly crypto: CryptoOfficer;
  readonly notices: NoticeClient;
}

/** The notice steps (seal, check, open for the next desk, sign decisions) for an officer with their key unlocked. */
export function noticeClientOf(officer: CryptoOfficer): NoticeClient {
  return new NoticeClient(keyringApi(officer.client), officer.keyring, officer.privateKey, (fingerprint) => officer.keyOf(fingerprint));
}

export async function noticeDeskOf(officer: Officer): Promise<NoticeDeskOfficer> {
  const crypto = await withCrypto(officer);
  const notices = noticeClientOf(crypto);
  notices.clock = now;
  return { crypto, notices };
}
