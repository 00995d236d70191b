/** Notices' socket events, added to the portal's event contract. */

/** A notice request moved: the desks that follow it refresh their lists and open pages. */
export interface NoticeChange {
  readonly id: string;
  readonly status: string;
  readonly holderDesk: string;
}

/** Something the per-minute sweep tells a desk about a request it holds, or one held below it. */
export interface NoticeAlert {
  readonly id: string;
  /** How officers name it ("Red notice"). */
  readonly label: string;
  readonly kind: 'reminder' | 'overdue' | 'escalated';
  readonly desk: string;
}

declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    'notice:changed': (change: NoticeChange) => void;
    'notice:alert': (alert: NoticeAlert) => void;
  }
}
