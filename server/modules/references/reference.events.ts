/** References' socket events, added to the portal's event contract, and the shapes the pages share. */

/** A reference moved: the desks that follow it refresh their queues and open pages. */
export interface ReferenceChange {
  readonly id: string;
  readonly status: string;
  readonly holderDesk: string;
}

/** Something the per-minute sweep tells a desk about a reference it holds, or one held below it. */
export interface ReferenceAlert {
  readonly id: string;
  /** How officers name it (FIR, or the foreign reference). */
  readonly label: string;
  readonly kind: 'reminder' | 'overdue' | 'escalated';
  /** The desk holding it. */
  readonly desk: string;
}

declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    'reference:changed': (change: ReferenceChange) => void;
    'reference:alert': (alert: ReferenceAlert) => void;
  }
}
