import type { KeyringApi } from '../../../server/crypto/group-keyring.js';
import type { PrivateKey, PublicKey } from '../../../server/crypto/client.js';
import type { GroupKeyring } from '../../../server/crypto/group-keyring.js';
import { formatDateTime } from '../../../server/shared/dates.js';
import { withoutDirectionControls } from '../../../server/shared/text.js';
import type { SealedRequestClient, SignedJson } from '../../../server/crypto/sealed-request-client.js';
import { describeAttachment, downloadAttachment, uploadAttachment } from '../connect/attachments.js';
import { showFormError, whileBusy } from './forms.js';
import { askPassword, openCryptoSession, type CryptoSession } from '../connect/crypto-session.js';
import { keyringApi } from './keys.js';

/** The officer's unlocked key and a module's request steps built on it (a broadcast's, a reference's), for one page. */
export interface RequestSession<C> {
  readonly crypto: CryptoSession;
  readonly client: C;
}

/** What a module's request client is made from. */
type ClientMaker<C> = new (api: KeyringApi, keyring: GroupKeyring, privateKey: PrivateKey, keyOf: (fingerprint: string) => Promise<PublicKey>) => C;

/** Unlocks the officer's key (asking for the password in a new tab) and prepares the module's client. */
export async function openRequestSession<C>(root: HTMLElement, Client: ClientMaker<C>): Promise<RequestSession<C>> {
  const crypto = await openCryptoSession({ accountId: root.dataset['accountId'] ?? '', username: root.dataset['username'] ?? '', askPassword });
  return { crypto, client: new Client(keyringApi, crypto.keyring, crypto.privateKey, (fingerprint) => crypto.keyOf(fingerprint)) };
}

/** Encrypts and uploads the chosen files for `group`, one progress bar each; returns their ids. */
export async function uploadFiles(session: { readonly crypto: CryptoSession }, group: string, files: readonly File[], list: HTMLElement): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const row = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = withoutDirectionControls(file.name);
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    bar.className = 'upload-progress';
    bar.setAttribute('aria-label', `Uploading ${name.textContent}`);
    row.append(name, ' ', bar);
    list.append(row);
    ids.push(await uploadAttachment(session.crypto, group, file, (fraction) => (bar.value = fraction)));
  }
  return ids;
}

/** A date and time for people (IST, Indian format). */
export const localTime = (iso: string | undefined): string => (iso ? formatDateTime(new Date(iso)) : '');

/** Runs an action from a button, showing its error in the button's section; reloads on success. */
export function onClick(button: HTMLButtonElement | null, action: () => Promise<unknown>): void {
  button?.addEventListener('click', () => {
    const section = button.closest<HTMLElement>('section') ?? document.body;
    showFormError(section, undefined);
    button.disabled = true;
    action().then(
      () => location.reload(),
      (error: unknown) => {
        button.disabled = false;
        showFormError(section, error);
      },
    );
  });
}

/** Runs an action from a form's submit, with its error under the form; reloads on success. */
export function onSubmit(form: HTMLFormElement | null, action: (form: HTMLFormElement) => Promise<unknown>): void {
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    whileBusy(form, () => action(form)).then(
      () => location.reload(),
      (error: unknown) => showFormError(form, error),
    );
  });
}

/** Lists attachments with their (decrypted) names and a download button each, with progress. */
export async function showAttachments(session: { readonly crypto: CryptoSession }, fileIds: readonly string[], list: HTMLElement): Promise<void> {
  for (const fileId of fileIds) {
    const row = document.createElement('li');
    row.className = 'attachment';
    list.append(row);
    try {
      const info = await describeAttachment(session.crypto, fileId);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button--secondary button--small';
      button.textContent = `${info.name} (${Math.max(1, Math.round(info.size / 1024))} KiB)`;
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.hidden = true;
      button.addEventListener('click', () => {
        bar.hidden = false;
        void downloadAttachment(session.crypto, fileId, (fraction) => (bar.value = fraction)).then(({ info: opened, blob }) => {
          const link = document.createElement('a');
          link.href = URL.createObjectURL(blob);
          link.download = opened.name;
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
        });
      });
      row.append(button, ' ', bar);
    } catch {
      row.textContent = 'An attachment could not be opened with your keys.';
    }
  }
}

/** Decrypts a sealed text into `target`, saying who signed it in `signature` (when given). */
export async function showSealed(session: RequestSession<SealedRequestClient>, itemId: string, target: HTMLElement, signature?: HTMLElement): Promise<void> {
  try {
    const opened = await session.client.read(itemId);
    target.textContent = opened.text;
    if (signature) {
      signature.textContent = `Decrypted in this browser · signature verified (key ${opened.authorFingerprint.slice(-16).toUpperCase()})`;
      signature.classList.add('verified');
    }
  } catch (error) {
    target.textContent = '';
    if (signature) {
      signature.textContent = `Not shown: ${error instanceof Error ? error.message : 'it could not be opened.'}`;
      signature.classList.add('bad');
    }
  }
}

/** Each step of a request's timeline (`[data-step="<n>"]`) with its signature checked here with its signer's key, said beside it. */
export async function checkSteps(session: RequestSession<SealedRequestClient>, steps: readonly { signed: SignedJson }[]): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const mark = document.querySelector<HTMLElement>(`[data-step="${index}"] [data-step-check]`);
    if (!mark) continue;
    try {
      const verified = await session.client.verifySigned(step.signed);
      mark.textContent = `✓ signature verified (key ${verified.signerFingerprint.slice(-16).toUpperCase()})`;
      mark.classList.add('verified');
    } catch {
      mark.textContent = '⚠ signature does not verify';
      mark.classList.add('bad');
    }
  }
}
