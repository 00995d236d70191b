/** The socket event of group keys, added to the portal's event contract. */
declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    /**
     * A member of `group` has a key but no envelope of the group's key (a newcomer, a colleague
     * with a new key): a member's browser that holds the key shares it, from whatever page is open.
     */
    'group:share-wanted': (payload: { group: string }) => void;
  }
}

export {};
