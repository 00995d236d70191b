import { FileOpener, FileSealer } from '../../../server/crypto/client.js';
import { base64 } from '../../../server/crypto/group-keyring.js';
import { withoutDirectionControls } from '../../../server/shared/text.js';
import { api, ApiError } from '../lib/api.js';
import { sendForm } from '../lib/upload.js';
import type { CryptoSession } from './crypto-session.js';

/** Progress of a transfer, 0 to 1. */
export type Progress = (fraction: number) => void;

/** PUTs one encrypted chunk, with upload progress. */
function putChunk(fileId: string, index: number, chunk: Uint8Array, onProgress: (loaded: number) => void): Promise<void> {
  const form = new FormData();
  form.append('chunk', new Blob([chunk as Uint8Array<ArrayBuffer>]), 'chunk.pgp');
  return sendForm<unknown>('PUT', `/api/files/${encodeURIComponent(fileId)}/chunks/${index}`, form, onProgress).then(() => undefined);
}

/**
 * Encrypts `file` in the browser chunk by chunk for the channel's group key and uploads it with
 * progress; the file name and type travel inside the encrypted manifest. Returns the file id.
 */
export async function uploadAttachment(session: CryptoSession, group: string, file: File, onProgress: Progress): Promise<string> {
  const keys = await session.keyring.keys(group);
  const sealer = await FileSealer.create({
    name: withoutDirectionControls(file.name),
    type: file.type,
    source: { size: file.size, read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()) },
    // For the group and the uploader, who can then always open (and pass on) their own file.
    recipients: [keys.current.publicKey, session.privateKey.toPublic()],
    signer: session.privateKey,
  });
  const total = Math.max(file.size, 1);
  let done = 0;
  const id = await sealer.upload({
    create: async ({ keyPackets, chunkCount }) =>
      (await api<{ id: string }>('POST', '/api/files', { group, epoch: keys.current.epoch, keyPackets: base64.encode(keyPackets), chunkCount })).id,
    putChunk: async (fileId, index, chunk) => {
      const report = (loaded: number): void => onProgress(Math.min(1, (done + Math.min(loaded, chunk.length)) / total));
      // One retry per chunk: a dropped connection resends only that chunk.
      await putChunk(fileId, index, chunk, report).catch(() => putChunk(fileId, index, chunk, report));
      done += index === 0 ? 0 : chunk.length;
      onProgress(Math.min(1, done / total));
    },
    complete: async (fileId) => {
      await api('POST', `/api/files/${encodeURIComponent(fileId)}/complete`, {});
    },
  });
  onProgress(1);
  return id;
}

/** What a downloaded attachment says about itself. */
export interface AttachmentInfo {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

async function fetchChunk(fileId: string, index: number): Promise<Uint8Array> {
  const response = await fetch(`/api/files/${encodeURIComponent(fileId)}/chunks/${index}`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, 'download-failed', `The download failed (${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
}

async function opener(session: CryptoSession, fileId: string): Promise<{ opener: FileOpener; meta: { via: string } }> {
  const meta = await api<{ via: string; keyPackets: string; authorFingerprint: string }>('GET', `/api/files/${encodeURIComponent(fileId)}`);
  const keys = await session.keyring.keys(meta.via);
  return {
    opener: await FileOpener.create({
      fileId,
      keyPackets: base64.decode(meta.keyPackets),
      decryptionKeys: [...keys.privateKeys.values(), session.privateKey],
      authorKeys: [await session.keyOf(meta.authorFingerprint)],
    }),
    meta,
  };
}

/** Reads an attachment's encrypted manifest: its name, type and size. */
export async function describeAttachment(session: CryptoSession, fileId: string): Promise<AttachmentInfo> {
  const { opener: open } = await opener(session, fileId);
  const manifest = await open.openManifest(await fetchChunk(fileId, 0));
  return { name: withoutDirectionControls(manifest.name), type: manifest.type, size: manifest.size };
}

/** Downloads and decrypts an attachment chunk by chunk, with progress; returns it as a Blob. */
export async function downloadAttachment(session: CryptoSession, fileId: string, onProgress: Progress): Promise<{ info: AttachmentInfo; blob: Blob }> {
  const { opener: open } = await opener(session, fileId);
  const manifest = await open.openManifest(await fetchChunk(fileId, 0));
  const parts: BlobPart[] = [];
  let received = 0;
  for (let index = 1; index <= manifest.chunks; index += 1) {
    const bytes = await open.openChunk(await fetchChunk(fileId, index), index);
    parts.push(bytes as Uint8Array<ArrayBuffer>);
    received += bytes.length;
    onProgress(manifest.size ? received / manifest.size : 1);
  }
  return { info: { name: withoutDirectionControls(manifest.name), type: manifest.type, size: manifest.size }, blob: new Blob(parts, { type: manifest.type }) };
}

/** An attachment in a message: its name and size once opened, and a download button with progress. */
export function attachmentBox(session: CryptoSession, fileId: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'attachment';
  const label = document.createElement('span');
  label.textContent = 'Attachment: opening…';
  const bar = document.createElement('progress');
  bar.max = 1;
  bar.value = 0;
  bar.hidden = true;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--small';
  button.textContent = 'Download';
  // Offered only once the attachment opens: one this officer cannot open has nothing to download.
  button.hidden = true;
  box.append(label, bar, button);
  describeAttachment(session, fileId).then(
    (info) => {
      label.textContent = `Attachment: ${info.name} (${Math.max(1, Math.round(info.size / 1024))} KB)`;
      button.hidden = false;
    },
    () => (label.textContent = 'Attachment: access is being arranged (its key has not been shared with you yet)'),
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    bar.hidden = false;
    try {
      const { info, blob } = await downloadAttachment(session, fileId, (fraction) => (bar.value = fraction));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = info.name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    } catch {
      label.textContent = '⚠ The attachment could not be downloaded or failed its check.';
    } finally {
      button.disabled = false;
    }
  });
  return box;
}
