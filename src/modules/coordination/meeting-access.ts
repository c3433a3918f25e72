import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { MeetingMemberSchema, MeetingSchema, type Meeting, type MeetingMember } from './domain/meeting.entity';

/** A meeting with its members; CASL decides on `memberStaffIds` and `accessUntil`, which lapse by themselves. */
export async function loadMeeting(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<{ meeting: Meeting; members: MeetingMember[] }> {
  const meeting = await em.findOne(MeetingSchema, { id });
  if (!meeting) throw notFound({ ja: '会議が見つかりません。', en: 'No such meeting.' });
  const members = await em.find(MeetingMemberSchema, { meetingId: id }, { orderBy: { externalName: 'asc' } });
  const record = { ...meeting, memberStaffIds: members.flatMap((m) => (m.staffId ? [m.staffId] : [])) };
  assertCanOrHide(auth, action, 'Meeting', record);
  return { meeting, members };
}
