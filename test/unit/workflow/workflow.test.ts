import { expect } from 'chai';
import mongoose from 'mongoose';
import { AppError } from '../../../server/errors.js';
import { broadcastLifecycle } from '../../../server/modules/broadcast/broadcast.lifecycle.js';
import { noticeLifecycle } from '../../../server/modules/notices/notice.lifecycle.js';
import { deadlineFor, reminderDue } from '../../../server/workflow/deadlines.js';
import { hopsAfterMove, timeAtDesks } from '../../../server/workflow/desk-clock.js';
import { deliveryStateOf, isOverdue, type DeliveryRecord } from '../../../server/workflow/delivery-fields.js';

const HOUR = 3_600_000;

describe('request workflow', () => {
  describe('a lifecycle declared as data', () => {
    it('leads each allowed move to its state', () => {
      expect(broadcastLifecycle.next('draft', 'submit')).to.equal('in-review');
      expect(broadcastLifecycle.next('in-review', 'return')).to.equal('draft');
      expect(broadcastLifecycle.next('answered', 'close')).to.equal('closed');
    });

    it('refuses a move from a state it does not start from, with 409 wrong-state naming the state', () => {
      const attempt = (): unknown => broadcastLifecycle.next('closed', 'answer');
      expect(attempt).to.throw(AppError).with.property('code', 'wrong-state');
      expect(attempt).to.throw(/is closed: it cannot be answer now/);
      expect(broadcastLifecycle.allows('sent', 'send')).to.equal(false);
      expect(broadcastLifecycle.allows('draft', 'approve')).to.equal(false);
    });
  });

  describe('the clock of each desk a request passes', () => {
    it('closes the open stretch and opens one at the next desk, only when the desk (or its agency or unit) changes', () => {
      const [mh, dl] = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
      const start = new Date('2026-12-01T00:00:00Z');
      const at = (hours: number): Date => new Date(start.getTime() + hours * HOUR);
      let { hops, moved } = hopsAfterMove([], { desk: 'unit', agency: mh }, start);
      expect(moved).to.equal(true);
      ({ hops, moved } = hopsAfterMove(hops, { desk: 'unit', agency: mh }, at(1)));
      expect(moved, 'an edit at the same desk').to.equal(false);
      ({ hops } = hopsAfterMove(hops, { desk: 'ilo', agency: mh }, at(3)));
      ({ hops } = hopsAfterMove(hops, { desk: 'ilo', agency: dl }, at(4)));
      ({ hops } = hopsAfterMove(hops, { desk: 'cbi' }, at(10)));
      ({ hops, moved } = hopsAfterMove(hops, { desk: 'none' }, at(12)));
      expect(moved).to.equal(true);
      expect(hops.map((hop) => [hop.desk, hop.until ? (hop.until.getTime() - hop.since.getTime()) / HOUR : null])).to.deep.equal([
        ['unit', 3],
        ['ilo', 1],
        ['ilo', 6],
        ['cbi', 2],
      ]);
      expect(timeAtDesks(hops, at(20))).to.deep.equal({ unit: 3 * HOUR, ilo: 7 * HOUR, cbi: 2 * HOUR });
    });

    it('says where a notice request may go: the General Secretariat’s answers only while it is there, a diffusion withdrawn once circulated', () => {
      expect(noticeLifecycle.next('at-gs', 'ask')).to.equal('information-requested');
      expect(noticeLifecycle.next('information-requested', 'submit-to-ilo')).to.equal('at-ilo');
      expect(noticeLifecycle.next('circulated', 'withdraw')).to.equal('withdrawn');
      expect(noticeLifecycle.next('published', 'extend')).to.equal('published');
      expect(() => noticeLifecycle.next('at-cbi', 'publish')).to.throw(/is with the CBI: it cannot be publish now/);
      expect(() => noticeLifecycle.next('refused', 'withdraw')).to.throw(AppError);
    });
  });

  describe('deadlines and reminders by priority', () => {
    const sentAt = new Date('2026-03-01T10:00:00Z');

    it('gives the priority’s default deadline unless one was asked for', () => {
      expect(deadlineFor('immediate', sentAt).getTime() - sentAt.getTime()).to.equal(8 * HOUR);
      expect(deadlineFor('urgent', sentAt).getTime() - sentAt.getTime()).to.equal(72 * HOUR);
      expect(deadlineFor('routine', sentAt).getTime() - sentAt.getTime()).to.equal(168 * HOUR);
      const asked = new Date('2026-03-02T00:00:00Z');
      expect(deadlineFor('routine', sentAt, asked)).to.equal(asked);
    });

    it('reminds immediate requests every 15 minutes, urgent ones every hour, routine ones never', () => {
      const after = (ms: number): Date => new Date(sentAt.getTime() + ms);
      expect(reminderDue('immediate', sentAt, after(14 * 60_000))).to.equal(false);
      expect(reminderDue('immediate', sentAt, after(15 * 60_000))).to.equal(true);
      expect(reminderDue('urgent', sentAt, after(59 * 60_000))).to.equal(false);
      expect(reminderDue('urgent', sentAt, after(HOUR))).to.equal(true);
      expect(reminderDue('routine', sentAt, after(1_000 * HOUR))).to.equal(false);
    });
  });

  describe('a delivery’s progress', () => {
    const base: DeliveryRecord = {
      _id: 'b:a',
      level: 'agency',
      agency: undefined as never,
      purpose: 'action',
      priority: 'routine',
      sentAt: new Date(0),
      deadline: new Date(10_000),
      reminders: 0,
      closed: false,
    };
    const signed = { by: 'x', fingerprint: 'F', signedAt: new Date(1), statement: 's', signature: 'sig' };

    it('shows its furthest step', () => {
      expect(deliveryStateOf(base)).to.equal('sent');
      expect(deliveryStateOf({ ...base, deliveredAt: new Date(1), readAt: new Date(2) })).to.equal('read');
      expect(deliveryStateOf({ ...base, readAt: new Date(2), acknowledgement: signed })).to.equal('acknowledged');
      expect(deliveryStateOf({ ...base, acknowledgement: signed, disseminatedAt: new Date(3) })).to.equal('disseminated');
      expect(deliveryStateOf({ ...base, disseminatedAt: new Date(3), respondedAt: new Date(4) })).to.equal('responded');
    });

    it('is overdue past its deadline without an answer (for action) or an acknowledgement (for information), unless closed', () => {
      expect(isOverdue(base, 9_999)).to.equal(false);
      expect(isOverdue(base, 10_001)).to.equal(true);
      expect(isOverdue({ ...base, acknowledgement: signed }, 10_001), 'acknowledged is not answered').to.equal(true);
      expect(isOverdue({ ...base, respondedAt: new Date(5) }, 10_001)).to.equal(false);
      expect(isOverdue({ ...base, purpose: 'information', acknowledgement: signed }, 10_001)).to.equal(false);
      expect(isOverdue({ ...base, closed: true }, 10_001)).to.equal(false);
    });
  });
});
