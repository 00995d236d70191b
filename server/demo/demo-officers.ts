/**
 * Demo officers acting through the portal's API from this process, as their browsers would:
 * a session written to the store (no sign-in), their key unlocked with the demo password, and
 * the same request crypto the pages use. The demo data's references and notice requests are made
 * this way, so they are sealed, opened and signed exactly as officers' are.
 */
import { now } from '../clock.js';
import { FileSealer, readPublicKey, unlockPrivateKey, type PublicKey } from '../crypto/client.js';
import { base64, GroupKeyring, type KeyringApi } from '../crypto/group-keyring.js';
import { deriveSecrets, type KdfParameters } from '../crypto/kdf.js';
import { NoticeClient } from '../crypto/notice-client.js';
import { ReferenceClient } from '../crypto/reference-client.js';
import type { SessionStore } from '../sessions/session.service.js';
import { SESSION_COOKIE } from '../sessions/cookie.js';

/** A call the portal refused, with its status and error code (what the keyring reacts to). */
class DemoCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

export interface DemoOfficer {
  readonly accountId: string;
  readonly keyring: GroupKeyring;
  readonly references: ReferenceClient;
  readonly notices: NoticeClient;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** Encrypts a file for `group` and uploads it, as the pages do; returns its id. */
  upload(group: string, name: string, type: string, bytes: Uint8Array): Promise<string>;
}

/**
 * Opens a demo officer's session against the portal at `baseUrl`. The session is renewed when the
 * portal's clock has moved past its idle time (the demo moves it through months).
 */
export async function demoOfficer(baseUrl: string, sessions: SessionStore, account: { id: string; username: string }, password: string): Promise<DemoOfficer> {
  let session: { cookie: string; csrfToken: string; at: number } | undefined;
  const current = async (): Promise<{ cookie: string; csrfToken: string }> => {
    // (The demo moves the clock both ways: back to the start of its history for each story.)
    if (!session || Math.abs(now().getTime() - session.at) > 10 * 60_000) {
      const { sessionId, record } = await sessions.create(account.id, { ip: '127.0.0.1', userAgent: 'demo data' });
      session = { cookie: `${SESSION_COOKIE}=${sessionId}`, csrfToken: record.csrfToken, at: now().getTime() };
    }
    return session;
  };
  const call = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
    const { cookie, csrfToken } = await current();
    const form = body instanceof FormData;
    const response = await fetch(baseUrl + path, {
      method,
      headers: { cookie, accept: 'application/json', ...(method !== 'GET' ? { 'x-csrf-token': csrfToken, ...(form ? {} : { 'content-type': 'application/json' }) } : {}) },
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      const code = (JSON.parse(text || '{}') as { error?: { code?: string } }).error?.code ?? 'http-error';
      throw new DemoCallError(response.status, code, `${method} ${path}: ${text.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const api: KeyringApi = { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };

  const kdf = await api.post<KdfParameters>('/api/auth/kdf', { username: account.username });
  const { keyPassphrase } = await deriveSecrets(password, kdf);
  const mine = await api.get<{ encryptedPrivateKey: string }>('/api/me/key');
  const privateKey = await unlockPrivateKey(mine.encryptedPrivateKey, keyPassphrase);
  const keyOf = async (fingerprint: string): Promise<PublicKey> => readPublicKey((await api.get<{ publicKey: string }>(`/api/keys/${fingerprint}`)).publicKey);
  const keyring = new GroupKeyring(api, { accountId: account.id, privateKey }, keyOf);
  const references = new ReferenceClient(api, keyring, privateKey, keyOf);
  references.clock = now;
  const notices = new NoticeClient(api, keyring, privateKey, keyOf);
  notices.clock = now;
  const upload = async (group: string, name: string, type: string, bytes: Uint8Array): Promise<string> => {
    const keys = await keyring.keys(group, { refresh: true });
    const sealer = await FileSealer.create({
      name,
      type,
      source: { size: bytes.length, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) },
      recipients: [keys.current.publicKey, privateKey.toPublic()],
      signer: privateKey,
    });
    return sealer.upload({
      create: async ({ keyPackets, chunkCount }) => (await api.post<{ id: string }>('/api/files', { group, epoch: keys.current.epoch, keyPackets: base64.encode(keyPackets), chunkCount })).id,
      putChunk: async (fileId, index, chunk) => {
        const form = new FormData();
        form.append('chunk', new Blob([chunk as Uint8Array<ArrayBuffer>]), 'chunk.pgp');
        await call('PUT', `/api/files/${fileId}/chunks/${index}`, form);
      },
      complete: async (fileId) => {
        await api.post(`/api/files/${fileId}/complete`, {});
      },
    });
  };
  return { accountId: account.id, keyring, references, notices, get: (path) => call('GET', path), post: (path, body) => call('POST', path, body), upload };
}
