import { roomsOfGroup, type AudienceNotifier } from '../../realtime/audience.js';
import { groupsOf, type GroupMember } from './group-catalogue.js';

/**
 * Tells the online members of every group `officer` belongs to that it may lack their group's
 * key (it just enrolled, took a new key, or moved), so the first browser that holds the key
 * shares it at once instead of when a colleague happens to open the right page.
 */
export async function askGroupsToShare(notifier: AudienceNotifier, officer: GroupMember): Promise<number> {
  const groups = await groupsOf(officer);
  for (const group of groups) notifier.notifyRooms(roomsOfGroup(group), 'group:share-wanted', { group });
  return groups.length;
}
