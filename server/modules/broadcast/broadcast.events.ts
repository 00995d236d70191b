import type { TrackingRow } from '../../workflow/tracking.events.js';

/** The plain metadata of a broadcast that lists and notices show (never its content). */
export interface BroadcastMetadata {
  reference: string;
  country: string;
  kind: string;
  purpose: string;
  crimeArea: string;
  priority: string;
  handlingCode: string;
}

/** A broadcast arriving (or a reminder of one). */
export interface BroadcastNotice extends BroadcastMetadata {
  id: string;
  deadline: string;
  sentAt: string;
  /** `agency` for an agency's ILOs, `unit` for a unit passed it by its ILO. */
  level: 'agency' | 'unit';
  reminders?: number;
}

declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    'broadcast:new': (notice: BroadcastNotice) => void;
    'broadcast:reminder': (notice: BroadcastNotice) => void;
    /** A unit is past its deadline without an action-taken report (to its agency's ILOs). */
    'broadcast:escalated': (payload: { broadcast: string; reference: string; unitName: string; deadline: string }) => void;
    'broadcast:tracking': (payload: { broadcast: string; row: TrackingRow }) => void;
  }
}
