import { deriveSecrets, type KdfParameters } from '../../server/crypto/kdf.js';
import { api, ApiError } from './lib/api.js';
import { formValues, showCodes, showFormError, whileBusy } from './lib/forms.js';

interface EnrolmentOffer {
  username: string;
  displayName: string;
  roleLabel: string;
  agencyName: string;
  kdf: KdfParameters;
  totp: { secret: string; uri: string; qrSvg: string };
}

/** The password rules with their dictionaries are large: loaded only on this page, on demand. */
const passwordPolicy = import('../../server/shared/password-policy.js');

/**
 * Enrolment from a one-time link (`/enrol#<token>`; the token stays in the fragment, so it never
 * appears in a server log): choose a password, checked here against the password rules, enrol
 * an authenticator app, and keep the recovery codes shown once.
 */
export async function init(): Promise<void> {
  const root = document.querySelector<HTMLElement>('[data-enrol]');
  if (!root) return;
  const form = root.querySelector<HTMLFormElement>('[data-enrol-form]');
  const problem = root.querySelector<HTMLElement>('[data-enrol-problem]');
  const loading = root.querySelector<HTMLElement>('[data-enrol-loading]');
  if (!form || !problem || !loading) return;
  const token = window.location.hash.slice(1);
  history.replaceState(null, '', window.location.pathname); // keep the token out of history and screenshots

  const fail = (message: string): void => {
    loading.hidden = true;
    form.hidden = true;
    problem.textContent = message;
    problem.hidden = false;
  };
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    fail('This enrolment link is incomplete. Open the whole link your administrator sent you.');
    return;
  }

  let offer: EnrolmentOffer;
  try {
    offer = await api<EnrolmentOffer>('POST', '/api/enrolment/lookup', { token });
  } catch (error) {
    fail(error instanceof ApiError ? error.message : 'The enrolment link could not be checked. Try again.');
    return;
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-field]')) {
    const key = element.dataset['field'];
    const shown: Record<string, string> = {
      displayName: offer.displayName,
      roleLabel: offer.roleLabel,
      agencyName: offer.agencyName,
      username: offer.username,
      totpSecret: offer.totp.secret,
    };
    element.textContent = shown[key ?? ''] ?? '';
  }
  const qr = root.querySelector<HTMLElement>('[data-totp-qr]');
  if (qr) {
    // The SVG comes from our own server's QR encoder; it is parsed as an image, not as markup.
    const image = new Image();
    image.alt = 'QR code for your authenticator app';
    image.src = `data:image/svg+xml;base64,${btoa(offer.totp.qrSvg)}`;
    qr.replaceChildren(image);
  }
  loading.hidden = true;
  form.hidden = false;

  const passwordInput = form.querySelector<HTMLInputElement>('input[name="password"]');
  const verdictLine = form.querySelector<HTMLElement>('[data-password-verdict]');
  const context = [offer.username, ...offer.displayName.split(/\s+/), offer.agencyName];
  passwordInput?.addEventListener('input', async () => {
    const { checkPassword } = await passwordPolicy;
    const verdict = checkPassword(passwordInput.value, context);
    if (verdictLine) verdictLine.textContent = passwordInput.value ? (verdict.ok ? 'Strong enough.' : verdict.reason) : '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    const { password = '', confirm = '', code = '' } = formValues(form);
    const { checkPassword } = await passwordPolicy;
    const verdict = checkPassword(password, context);
    if (!verdict.ok) return showFormError(form, new Error(verdict.reason));
    if (password !== confirm) return showFormError(form, new Error('The two passwords are not the same.'));
    if (!/^\d{6}$/.test(code)) return showFormError(form, new Error('Enter the 6-digit code from your authenticator app.'));
    try {
      const result = await whileBusy(form, async () => {
        const { signInSecret, keyPassphrase } = await deriveSecrets(password, offer.kdf);
        // The officer's OpenPGP key is made here; its private half leaves only under the passphrase.
        const { generateOfficerKey, formatFingerprint } = await import('../../server/crypto/client.js');
        const key = await generateOfficerKey({ name: offer.displayName, username: offer.username, passphrase: keyPassphrase });
        const answer = await api<{ recoveryCodes: string[] }>('POST', '/api/enrolment/complete', {
          token,
          signInSecret,
          code,
          publicKey: key.publicKey,
          encryptedPrivateKey: key.encryptedPrivateKey,
        });
        return { ...answer, fingerprint: formatFingerprint(key.fingerprint) };
      });
      form.hidden = true;
      const done = root.querySelector<HTMLElement>('[data-enrol-done]');
      const list = root.querySelector<HTMLElement>('[data-recovery-codes]');
      if (list) showCodes(list, result.recoveryCodes);
      const fingerprint = root.querySelector<HTMLElement>('[data-own-fingerprint]');
      if (fingerprint) fingerprint.textContent = result.fingerprint;
      if (done) done.hidden = false;
    } catch (error) {
      showFormError(form, error);
    }
  });
}

void init();
