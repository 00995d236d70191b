import type { DeliveryState } from '../shared/vocabulary/delivery-states.js';

/** Where one addressee (an agency's ILOs, or a unit) has got with a request sent down the chain (a broadcast). */
export interface TrackingRow {
  id: string;
  level: 'agency' | 'unit';
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  unitId?: string;
  unitName?: string;
  deliveredAt?: string;
  readAt?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** The signed acknowledgement, for the desk's own check. */
  acknowledgement?: { statement: string; signature: string; fingerprint: string };
  disseminatedAt?: string;
  units: number;
  respondedAt?: string;
  response?: string;
  responseAttachments: string[];
  deadline: string;
  overdue: boolean;
  reminders: number;
  escalatedAt?: string;
  /** The furthest state reached, for a badge. */
  state: DeliveryState;
}
