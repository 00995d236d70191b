import { BroadcastClient } from '../../../server/crypto/broadcast-client.js';
import { formatDateTime } from '../../../server/shared/dates.js';
import { keyringApi } from '../lib/keys.js';
import { uploadAttachment } from '../connect/attachments.js';
import { askPassword, openCryptoSession, type CryptoSession } from '../connect/crypto-session.js';

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

/** A date and time for people (IST, Indian format). */
export const localTime = (iso: string | undefined): string => (iso ? formatDateTime(new Date(iso)) : '');
