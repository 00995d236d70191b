import { z } from 'zod';
import { objectIdInput } from '../../validation.js';
import { audienceSchema, description, title } from '../library/library.schema.js';

/** Scheduling a training session. */
export const scheduleSchema = z
  .object({
    title,
    description,
    /** The course it is a session of (such as NOTICES-101): certificates of a course can be required elsewhere. */
    course: z.string().trim().max(40).regex(/^[A-Za-z0-9-]*$/, 'Use letters, digits and hyphens.').default(''),
    mode: z.enum(['in-person', 'online'], { error: 'Choose in person or online.' }),
    venue: z.string().trim().max(200).default(''),
    onlineUrl: z
      .url({ protocol: /^https$/, error: 'Give the https link of the online meeting.' })
      .max(500)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    startsAt: z.iso.datetime({ offset: true, error: 'Give the start as a date and time.' }).transform((value) => new Date(value)),
    endsAt: z.iso.datetime({ offset: true, error: 'Give the end as a date and time.' }).transform((value) => new Date(value)),
    capacity: z.number().int().min(1, 'At least one seat.').max(1000, 'At most 1,000 seats.'),
    audience: audienceSchema,
    materials: z.array(objectIdInput).max(20).default([]),
  })
  .superRefine((session, context) => {
    if (session.endsAt <= session.startsAt) context.addIssue({ code: 'custom', path: ['endsAt'], message: 'The session must end after it starts.' });
    if (session.endsAt.getTime() - session.startsAt.getTime() > 14 * 24 * 3_600_000) {
      context.addIssue({ code: 'custom', path: ['endsAt'], message: 'A session lasts at most 14 days.' });
    }
    if (session.mode === 'in-person' && session.venue.length < 3) context.addIssue({ code: 'custom', path: ['venue'], message: 'Give the venue.' });
    if (session.mode === 'online' && !session.onlineUrl) context.addIssue({ code: 'custom', path: ['onlineUrl'], message: 'Give the meeting link.' });
  });
export type ScheduleInput = z.output<typeof scheduleSchema>;

/** Enrolling (oneself when `accountId` is absent) or withdrawing. */
export const enrolSchema = z.object({ accountId: objectIdInput.optional() });

export const attendanceSchema = z.object({ accountId: objectIdInput, attended: z.boolean() });
