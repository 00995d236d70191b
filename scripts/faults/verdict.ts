import { MongoClient, ObjectId } from 'mongodb';
import { percentile } from '../bench/common.js';
import type { ConnectWorkload } from './workload.js';

/** What a fault run did to the messages: one row of the fault table. */
export interface Verdict {
  readonly sent: number;
  readonly acknowledged: number;
  /** Acknowledged, and not in the database. */
  readonly lost: number;
  /** Stored more than once (one client id twice), or two messages under one number. */
  readonly duplicated: number;
  /** Acknowledged messages that some member of the channel never received, live or by resync. */
  readonly neverReceived: number;
  /** Members whose list of a channel differs from what the channel holds. */
  readonly disagreeing: number;
  readonly givenUp: number;
  readonly refused: string;
  readonly retried: number;
  readonly reconnects: number;
  /** Acknowledgement times, milliseconds from the first send. */
  readonly ackP50: number;
  readonly ackMax: number;
  /** From the fault until every officer had a message sent after it acknowledged. */
  readonly recoveryMs: number | undefined;
}

/**
 * Checks what a workload recorded against what the database holds: every acknowledged message
 * stored once, and every stored message of the run received by every member of its channel.
 */
export async function verdict(workload: ConnectWorkload, databaseUri: string, databaseName: string, faultAt?: number): Promise<Verdict> {
  const client = await MongoClient.connect(databaseUri);
  try {
    const messages = client.db(databaseName).collection<{ _id: string; channel: ObjectId; seq: number; clientId: string; sender: ObjectId }>('messages');
    const stored = new Map<string, { id: string; seq: number; clientId: string }[]>();
    for (const channel of workload.channels) {
      const rows = await messages.find({ channel: new ObjectId(channel.id), seq: { $gt: channel.lastSeq } }, { projection: { seq: 1, clientId: 1 } }).toArray();
      stored.set(channel.id, rows.map((row) => ({ id: String(row._id), seq: row.seq, clientId: row.clientId })));
    }
    const storedIds = new Set([...stored.values()].flat().map((row) => row.id));
    const lost = workload.acknowledged.filter((message) => !storedIds.has(message.id)).length;
    let duplicated = 0;
    for (const rows of stored.values()) {
      duplicated += rows.length - new Set(rows.map((row) => row.clientId)).size;
      duplicated += rows.length - new Set(rows.map((row) => row.seq)).size;
    }
    const missing = new Set<string>();
    let disagreeing = 0;
    for (const { channel, ids } of workload.receivedBy()) {
      const rows = stored.get(channel) ?? [];
      for (const message of workload.acknowledged) if (message.channel === channel && !ids.has(message.id)) missing.add(message.id);
      if (rows.length !== ids.size || rows.some((row) => !ids.has(row.id))) disagreeing += 1;
    }
    const latencies = workload.acknowledged.map((message) => message.ackedAt - message.sentAt);
    // Per officer, the first acknowledgement of a message sent after the fault; the last of those.
    const firstAfter = new Map<string, number>();
    for (const message of workload.acknowledged) {
      if (faultAt === undefined || message.sentAt < faultAt) continue;
      firstAfter.set(message.sender, Math.min(firstAfter.get(message.sender) ?? Infinity, message.ackedAt));
    }
    return {
      sent: workload.sent,
      acknowledged: workload.acknowledged.length,
      lost,
      duplicated,
      neverReceived: missing.size,
      disagreeing,
      givenUp: workload.givenUp,
      refused: [...workload.refused.entries()].map(([code, count]) => `${code} ${count}`).join(', ') || '-',
      retried: workload.acknowledged.filter((message) => message.tries > 1).length,
      reconnects: workload.reconnects,
      ackP50: percentile(latencies, 50),
      ackMax: Math.max(0, ...latencies),
      recoveryMs: faultAt === undefined || firstAfter.size === 0 ? undefined : Math.max(...firstAfter.values()) - faultAt,
    };
  } finally {
    await client.close();
  }
}
