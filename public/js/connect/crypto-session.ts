import type { PrivateKey, PublicKey } from '../../../server/crypto/client.js';
import { GroupKeyring } from '../../../server/crypto/group-keyring.js';
import { deriveSecrets, type KdfParameters } from '../../../server/crypto/kdf.js';
import { api } from '../lib/api.js';
import { fetchPublicKey, keyringApi, rememberPassphrase, unlockMyKey } from '../lib/keys.js';

/** The officer's unlocked key, their keyring, and public keys of authors, for one page. */
export interface CryptoSession {
  readonly accountId: string;
  readonly privateKey: PrivateKey;
  readonly fingerprint: string;
  readonly keyring: GroupKeyring;
  keyOf(fingerprint: string): Promise<PublicKey>;
}

/**
 * Unlocks the officer's key with the passphrase kept in this tab; when the tab has none (a new
 * tab), asks for the password through `askPassword`, derives the passphrase again, and keeps it.
 */
export async function openCryptoSession(options: {
  accountId: string;
  username: string;
  askPassword: () => Promise<string>;
}): Promise<CryptoSession> {
  let unlocked = await unlockMyKey().catch(() => undefined);
  while (!unlocked) {
    const password = await options.askPassword();
    const kdf = await api<KdfParameters>('POST', '/api/auth/kdf', { username: options.username });
    const { keyPassphrase } = await deriveSecrets(password, kdf);
    await rememberPassphrase(keyPassphrase);
    unlocked = await unlockMyKey().catch(() => undefined);
  }
  // The officer's own key is known here: their own messages verify without asking the server.
  const keys = new Map<string, Promise<PublicKey>>([[unlocked.fingerprint, Promise.resolve(unlocked.privateKey.toPublic())]]);
  const keyOf = (fingerprint: string): Promise<PublicKey> => {
    let key = keys.get(fingerprint);
    if (!key) {
      key = fetchPublicKey(fingerprint);
      keys.set(fingerprint, key);
    }
    return key;
  };
  const keyring = new GroupKeyring(keyringApi, { accountId: options.accountId, privateKey: unlocked.privateKey }, keyOf);
  return { accountId: options.accountId, privateKey: unlocked.privateKey, fingerprint: unlocked.fingerprint, keyring, keyOf };
}

/** Asks for the password in the page's unlock dialog (a tab that does not yet hold the key passphrase). */
export function askPassword(): Promise<string> {
  const dialog = document.querySelector<HTMLDialogElement>('[data-unlock]');
  const form = dialog?.querySelector<HTMLFormElement>('[data-unlock-form]');
  const input = form?.querySelector<HTMLInputElement>('input[name="password"]');
  if (!dialog || !form || !input) return Promise.reject(new Error('This page has no unlock dialog.'));
  if (dialog.dataset['tried']) {
    const error = dialog.querySelector<HTMLElement>('[data-unlock-error]');
    if (error) {
      error.textContent = 'That password did not open your key. Try again.';
      error.hidden = false;
    }
  }
  dialog.dataset['tried'] = 'true';
  dialog.showModal();
  return new Promise((resolve) => {
    form.addEventListener(
      'submit',
      () => {
        resolve(input.value);
        input.value = '';
      },
      { once: true },
    );
  });
}
