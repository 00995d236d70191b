import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { RequestOrigin } from '../access/actor.js';
import { now, nowMs } from '../clock.js';
import { Session, type SessionDocument } from './session.model.js';

/** How long sessions live: locked after `idleMinutes` without activity, and after `maxHours` in any case. */
export interface SessionLifetimes {
  readonly idleMinutes: number;
  readonly maxHours: number;
}

/** Why a session is no longer usable, so the sign-in page can say it. */
export type SessionEnd = 'idle' | 'expired' | 'missing';

/** Writes `lastSeenAt` at most this often, so that busy officers do not cause a write per request or event. */
export const TOUCH_INTERVAL_MS = 60_000;

/** Hashes a session id as it is stored. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** Socket activity is saved in batches, this often (far inside any idle limit). */
const TOUCH_BATCH_MS = 10_000;
/** Session updates sent in one database command when saving them (see saveTouches). */
const TOUCHES_PER_COMMAND = 20;

/** Server-side sessions: creation at sign-in, lookup with expiry, sign-out, and sweeping. */
export class SessionStore {
  readonly #touched = new Set<string>();
  #touchTimer: NodeJS.Timeout | undefined;

  /**
   * `scansForIds`: the database answers `_id: {$in: [...]}` by scanning every session and comparing
   * it with every id (FerretDB v1), rather than from the _id index (MongoDB).
   */
  constructor(
    private readonly lifetimes: SessionLifetimes,
    private readonly options: { scansForIds?: boolean } = {},
  ) {}

  /** Starts a session for `accountId`; returns the id to put in the cookie (never stored as is). */
  async create(accountId: string, origin: RequestOrigin): Promise<{ sessionId: string; record: SessionDocument }> {
    const sessionId = randomBytes(32).toString('base64url');
    const at = now();
    const record = {
      _id: hashSessionId(sessionId),
      account: new mongoose.Types.ObjectId(accountId),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: at,
      lastSeenAt: at,
      absoluteExpiresAt: new Date(at.getTime() + this.lifetimes.maxHours * 3_600_000),
      ip: origin.ip,
      userAgent: origin.userAgent?.slice(0, 300),
    };
    await Session.create(record);
    return { sessionId, record };
  }

  /** The live session for a cookie value, touched; or why there is none. Ends expired sessions. */
  async resolve(sessionId: string): Promise<{ record: SessionDocument } | { ended: SessionEnd }> {
    const id = hashSessionId(sessionId);
    const record = await Session.findById(id).lean<SessionDocument>();
    if (!record) return { ended: 'missing' };
    const current = nowMs();
    const ended: SessionEnd | undefined =
      record.absoluteExpiresAt.getTime() <= current
        ? 'expired'
        : record.lastSeenAt.getTime() + this.lifetimes.idleMinutes * 60_000 <= current
          ? 'idle'
          : undefined;
    if (ended) {
      await Session.deleteOne({ _id: id });
      return { ended };
    }
    if (current - record.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      record.lastSeenAt = new Date(current);
      await Session.updateOne({ _id: id }, { $set: { lastSeenAt: record.lastSeenAt } });
    }
    return { record };
  }

  /** Of the given session hashes, those still live. */
  async liveAmong(sessionHashes: string[]): Promise<Set<string>> {
    const current = nowMs();
    const unexpired = {
      absoluteExpiresAt: mongoose.trusted({ $gt: new Date(current) }),
      lastSeenAt: mongoose.trusted({ $gt: new Date(current - this.lifetimes.idleMinutes * 60_000) }),
    };
    if (this.options.scansForIds) {
      // Every live session, matched here: a scan either way, but without comparing each session
      // with every id asked about (measured on FerretDB, 8,000 sessions, 4,000 asked about:
      // 1.3-1.8 s of database CPU with `$in`, 0.6 s without; every 15 s with that many sockets).
      const asked = new Set(sessionHashes);
      const live = await Session.find(unexpired, { _id: 1 }).lean<{ _id: string }[]>();
      return new Set(live.map((session) => session._id).filter((id) => asked.has(id)));
    }
    const live = await Session.find({ _id: mongoose.trusted({ $in: sessionHashes }), ...unexpired }, { _id: 1 }).lean<{ _id: string }[]>();
    return new Set(live.map((session) => session._id));
  }

  /**
   * Records activity that did not come through HTTP (socket events). Saved within a few seconds,
   * for all the sessions touched meanwhile in one command: hundreds of officers' sockets would
   * otherwise each send a write in the same second.
   */
  touch(sessionHash: string, onError: (error: unknown) => void): void {
    this.#touched.add(sessionHash);
    if (this.#touchTimer) return;
    this.#touchTimer = setTimeout(() => {
      this.#touchTimer = undefined;
      this.saveTouches().catch(onError);
    }, TOUCH_BATCH_MS).unref();
  }

  /** Saves the activity recorded by `touch` so far (also at shutdown). */
  async saveTouches(): Promise<void> {
    const sessionHashes = [...this.#touched];
    this.#touched.clear();
    if (sessionHashes.length === 0) return;
    // One update per session, by _id: each is a short write found by the _id index, where one
    // update of `_id: {$in: [...]}` holds FerretDB's write lock while it scans every session
    // (measured: 354 ms for 1,000 of 2,100 sessions, Connect's messages waiting meanwhile).
    // A few per command, one command at a time: FerretDB v1.24 keeps each update statement's
    // cursor (and its pooled SQLite connection) open until the whole command is done, and a
    // command of 100 statements takes all 100 connections and hangs every client of the database.
    const lastSeenAt = now();
    for (let start = 0; start < sessionHashes.length; start += TOUCHES_PER_COMMAND) {
      await Session.bulkWrite(
        sessionHashes
          .slice(start, start + TOUCHES_PER_COMMAND)
          .map((_id) => ({ updateOne: { filter: { _id }, update: { $max: { lastSeenAt } } } })),
        { ordered: false },
      );
    }
  }

  /** Ends one session (sign-out). */
  async destroy(sessionHash: string): Promise<void> {
    await Session.deleteOne({ _id: sessionHash });
  }

  /** Ends every session of an account (disabled, locked, re-enrolled); returns their hashes. */
  async destroyAllFor(accountId: string): Promise<string[]> {
    const sessions = await Session.find({ account: accountId }, { _id: 1 }).lean<{ _id: string }[]>();
    await Session.deleteMany({ account: accountId });
    return sessions.map((session) => session._id);
  }

  /** The live sessions of an account, newest first, for the profile page. */
  listFor(accountId: string): Promise<SessionDocument[]> {
    return Session.find({ account: accountId }).sort({ lastSeenAt: -1 }).limit(50).lean<SessionDocument[]>();
  }

  /** Deletes sessions past their idle or absolute expiry; returns how many. */
  async sweep(): Promise<number> {
    const current = nowMs();
    const result = await Session.deleteMany({
      $or: [
        { absoluteExpiresAt: mongoose.trusted({ $lte: new Date(current) }) },
        { lastSeenAt: mongoose.trusted({ $lte: new Date(current - this.lifetimes.idleMinutes * 60_000) }) },
      ],
    });
    return result.deletedCount;
  }
}
