/** References' socket events, added to the portal's event contract, and the shapes the pages share. */

/** A reference moved: the desks that follow it refresh their queues and open pages. */
export interface ReferenceChange {
  readonly id: string;
  readonly status: string;
  readonly holderDesk: string;
}

declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    'reference:changed': (change: ReferenceChange) => void;
  }
}
