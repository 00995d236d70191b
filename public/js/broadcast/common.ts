import { BroadcastClient } from '../../../server/crypto/broadcast-client.js';
import { readPublicKey } from '../../../server/crypto/client.js';
import { GroupKeyring } from '../../../server/crypto/group-keyring.js';
import { api } from '../lib/api.js';
import { unlockMyKey } from '../lib/keys.js';
import { uploadAttachment } from '../connect/attachments.js';
import { askPassword, keyringApi, openCryptoSession, type CryptoSession } from '../connect/crypto-session.js';

/** The officer's unlocked key and the broadcast steps built on it, for one page. */
export interface BroadcastSession {
  readonly crypto: CryptoSession;
  readonly client: BroadcastClient;
}

/** Unlocks the officer's key (asking for the password in a new tab) and prepares the broadcast client. */
export async function openBroadcastSession(root: HTMLElement): Promise<BroadcastSession> {
  const crypto = await openCryptoSession({ accountId: root.dataset['accountId'] ?? '', username: root.dataset['username'] ?? '', askPassword });
  return { crypto, client: new BroadcastClient(keyringApi, crypto.keyring, crypto.privateKey, (fingerprint) => crypto.keyOf(fingerprint)) };
}

/** Encrypts and uploads the chosen files for `group`, one progress bar each; returns their ids. */
export async function uploadFiles(session: BroadcastSession, group: string, files: readonly File[], list: HTMLElement): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const row = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    bar.className = 'upload-progress';
    bar.setAttribute('aria-label', `Uploading ${file.name}`);
    row.append(name, ' ', bar);
    list.append(row);
    ids.push(await uploadAttachment(session.crypto, group, file, (fraction) => (bar.value = fraction)));
  }
  return ids;
}

/** A date and time for people, in the browser's time zone. */
export const localTime = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : '');

/**
 * Makes sure the group broadcasts reach this officer through (their agency's ILOs, their unit,
 * the desk) has a key, so the CBI can seal for it: the first member to open the page starts it.
 * Silent: does nothing if this tab does not hold the officer's key.
 */
export async function ensureGroupKey(group: string, accountId: string): Promise<void> {
  if (!group) return;
  const unlocked = await unlockMyKey().catch(() => undefined);
  if (!unlocked) return;
  const keyring = new GroupKeyring(keyringApi, { accountId, privateKey: unlocked.privateKey }, async (fingerprint) =>
    readPublicKey((await api<{ publicKey: string }>('GET', `/api/keys/${encodeURIComponent(fingerprint)}`)).publicKey),
  );
  await keyring.keys(group);
}
