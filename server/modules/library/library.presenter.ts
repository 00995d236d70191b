import type { Actor } from '../../access/actor.js';
import { can, type Audience } from '../../access/policy.js';
import { ROLE_LABELS } from '../../access/roles.js';
import { describeType, type PreviewKind } from './blob-store.js';
import type { LibraryItemDocument, LibraryVersion } from './library.model.js';
import { itemResource } from './library.policy.js';
import { CATEGORY_LABELS, LANGUAGES, type Language } from './library.schema.js';

/** A version as it leaves the server. */
export interface VersionView {
  readonly number: number;
  readonly fileName: string;
  readonly mediaType: string;
  readonly typeLabel: string;
  readonly preview: PreviewKind;
  readonly size: number;
  readonly sizeLabel: string;
  readonly sha256: string;
  readonly note: string;
  readonly uploadedByName: string;
  readonly uploadedAt: string;
  readonly downloadUrl: string;
  readonly viewUrl: string | undefined;
}

/** A library item as it leaves the server. */
export interface ItemView {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly categoryLabel: string;
  readonly tags: readonly string[];
  readonly language: string;
  readonly languageLabel: string;
  readonly audience: { readonly roles: readonly string[]; readonly agencies: readonly string[]; readonly label: string };
  readonly published: boolean;
  readonly ownerName: string;
  readonly latestAt: string;
  readonly downloads: number;
  /** Published or given a new version since the officer's last visit. */
  readonly isNew: boolean;
  readonly canManage: boolean;
  readonly latest: VersionView;
  /** Newest first. */
  readonly versions: readonly VersionView[];
}

/** "1.4 MB", "820 KB": sizes as people read them. */
export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** "Everyone", "ILOs and unit officers of 3 agencies", as a line under a title. */
export function audienceLabel(audience: Audience): string {
  const roles = audience.roles.length === 0 ? 'All officers' : audience.roles.map((role) => ROLE_LABELS[role]).join(', ');
  if (audience.agencies.length === 0) return audience.roles.length === 0 ? 'Everyone' : roles;
  const agencies = audience.agencies.length === 1 ? 'one agency' : `${audience.agencies.length} agencies`;
  return `${roles} of ${agencies}`;
}

function presentVersion(itemId: string, version: LibraryVersion): VersionView {
  const type = describeType(version.mediaType);
  const base = `/resources/items/${itemId}/versions/${version.number}`;
  return {
    number: version.number,
    fileName: version.fileName,
    mediaType: version.mediaType,
    typeLabel: type.label,
    preview: type.preview,
    size: version.size,
    sizeLabel: sizeLabel(version.size),
    sha256: version.sha256,
    note: version.note ?? '',
    uploadedByName: version.uploadedByName,
    uploadedAt: version.uploadedAt.toISOString(),
    downloadUrl: `${base}/download`,
    viewUrl: type.preview === 'none' ? undefined : `${base}/view`,
  };
}

export function presentItem(item: LibraryItemDocument, actor: Actor, newSince?: Date): ItemView {
  const id = String(item._id);
  const versions = item.versions.map((version) => presentVersion(id, version)).reverse();
  const audience = item.audience as Audience;
  return {
    id,
    title: item.title,
    description: item.description ?? '',
    category: item.category,
    categoryLabel: CATEGORY_LABELS[item.category],
    tags: item.tags,
    language: item.language,
    languageLabel: LANGUAGES[item.language as Language],
    audience: { roles: audience.roles, agencies: audience.agencies, label: audienceLabel(audience) },
    published: item.status === 'published',
    ownerName: item.ownerName,
    latestAt: item.latestAt.toISOString(),
    downloads: item.downloads ?? 0,
    isNew: newSince !== undefined && item.latestAt > newSince,
    canManage: can(actor, 'library:manage', itemResource(item)),
    latest: versions[0]!,
    versions,
  };
}
