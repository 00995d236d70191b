/**
 * Where an addressee (an agency's ILOs, or a unit) has got with a request sent down the chain,
 * furthest step first wins: the tracking matrix and inboxes show it, the browser too.
 */
export const DELIVERY_STATES = ['sent', 'delivered', 'read', 'acknowledged', 'disseminated', 'responded'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const DELIVERY_STATE_LABELS: Record<DeliveryState, string> = {
  sent: 'Not yet delivered',
  delivered: 'Delivered',
  read: 'Read',
  acknowledged: 'Acknowledged',
  disseminated: 'Passed to units',
  responded: 'Answered',
};

