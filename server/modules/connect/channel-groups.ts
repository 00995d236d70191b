import type { GroupKind } from '../../sealed/groups/group-catalogue.js';
import { channelMembers, membershipsOf } from './channel-members.js';
import { Channel, type ChannelDocument } from './channel.model.js';

/** Connect's channels as groups with a key (`channel:<id>`): their members and agency, by _id. */
export const channelGroups: GroupKind = {
  async members(channelId) {
    const channel = await Channel.findById(channelId).lean<ChannelDocument>();
    return channel ? channelMembers(channel) : [];
  },
  async agency(channelId) {
    const channel = await Channel.findById(channelId, { agency: 1 }).lean();
    return channel?.agency ? String(channel.agency) : undefined;
  },
  async groupsOf(actor) {
    return (await membershipsOf(actor)).map(({ channel }) => String(channel._id));
  },
};
