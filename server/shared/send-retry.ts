/**
 * Answers to `message:send` after which a client sends the same message again, with the same
 * client id (the server stores a client id once): no answer in time, a service that is down or
 * restarting, a batch not stored in time, or the officer's send rate met by a flush of kept
 * messages. Any other answer refuses the message for good. Used by the page and by the fault
 * runs' clients, so that both retry alike.
 */
export const RETRYABLE_SEND_CODES: ReadonlySet<string> = new Set([
  'timeout',
  'database-unavailable',
  'message-not-stored',
  'realtime-unavailable',
  'too-many-messages',
]);
