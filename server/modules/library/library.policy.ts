import type { PublicationResource } from '../../access/policy.js';
import type { LibraryItemDocument } from './library.model.js';

/** An item as the access policy sees it. */
export function itemResource(item: Pick<LibraryItemDocument, '_id' | 'audience' | 'owner' | 'status'>): PublicationResource {
  return {
    kind: 'publication',
    type: 'library-item',
    id: String(item._id),
    audience: item.audience,
    ownerId: String(item.owner),
    live: item.status === 'published',
  };
}
