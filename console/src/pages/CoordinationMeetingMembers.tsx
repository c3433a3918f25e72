import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames } from '../labels';
import { MutationError } from './coordination-shared';

export type Meeting = components['schemas']['MeetingRecord'];

/** After a change to the meeting: read it again, and the coordination case that lists it. */
export const useRefresh = (meetingId: string) => {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['meeting', meetingId] });
    void queryClient.invalidateQueries({ queryKey: ['coordination'] });
  };
};

export function Members({ m, runs }: { m: Meeting; runs: boolean }) {
  const { t } = useT();
  const department = useDepartmentNames();
  const staff = useQuery({ queryKey: ['staff'], enabled: runs, queryFn: () => data(api.GET('/api/v1/staff', { params: { query: { limit: 200, active: 'true' } } })), staleTime: 5 * 60_000 });
  const name = (staffId: string | null) => staff.data?.items.find((s) => s.id === staffId)?.displayName ?? '';
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">{t('meeting.members')}</h2>
      {m.members.length === 0 ? (
        <p>{t('meeting.noMembers')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('meeting.member')}</th>
              <th scope="col">{t('meeting.organization')}</th>
              <th scope="col">{t('meeting.acknowledged')}</th>
            </tr>
          </thead>
          <tbody>
            {m.members.map((member) => (
              <tr key={member.id}>
                {/* Only the coordinator reads the staff directory; others see that a staff member of the department sits. */}
                <td>{member.externalName ?? (name(member.staffId) || t('meeting.staffMember'))}</td>
                <td>{member.externalOrganization ?? (member.departmentId ? department(member.departmentId) : '')}</td>
                <td>{member.confidentialityAcknowledgedAt ? new Date(member.confidentialityAcknowledgedAt).toLocaleString('ja-JP') : <span className="withheld">{t('meeting.notAcknowledged')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs && <AddMember m={m} staff={(staff.data?.items ?? []).filter((s) => !m.members.some((member) => member.staffId === s.id))} />}
    </section>
  );
}

/** 構成員を加える: a staff member or someone from outside, with the signed 守秘義務 acknowledgment. */
function AddMember({ m, staff }: { m: Meeting; staff: components['schemas']['StaffPage']['items'] }) {
  const { t } = useT();
  const id = useId();
  const refresh = useRefresh(m.id);
  const [external, setExternal] = useState(false);
  const [staffId, setStaffId] = useState('');
  const [externalName, setExternalName] = useState('');
  const [externalOrganization, setExternalOrganization] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const add = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/meetings/{id}/members', {
          params: { path: { id: m.id } },
          body: external ? { externalName, externalOrganization, confidentialityAcknowledged: acknowledged } : { staffId, confidentialityAcknowledged: acknowledged },
        }),
      ),
    onSuccess: () => {
      setStaffId('');
      setExternalName('');
      setExternalOrganization('');
      setAcknowledged(false);
      refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  // A 支援会議 admits no member without the acknowledgment: the button waits for it.
  const ready = (external ? externalName.trim() && externalOrganization.trim() : staffId) && (acknowledged || m.kind !== 'shien_kaigi');
  return (
    <form onSubmit={submit} className="stack" aria-label={external ? t('meeting.addExternal') : t('meeting.addStaff')}>
      <div className="actions" role="group" aria-label={t('meeting.member')}>
        <button type="button" className={external ? 'secondary' : undefined} aria-pressed={!external} onClick={() => setExternal(false)}>
          {t('meeting.addStaff')}
        </button>
        <button type="button" className={external ? undefined : 'secondary'} aria-pressed={external} onClick={() => setExternal(true)}>
          {t('meeting.addExternal')}
        </button>
      </div>
      {external ? (
        <>
          <label htmlFor={`${id}-name`}>{t('meeting.externalName')}</label>
          <input id={`${id}-name`} required maxLength={100} value={externalName} onChange={(e) => setExternalName(e.target.value)} />
          <label htmlFor={`${id}-org`}>{t('meeting.externalOrganization')}</label>
          <input id={`${id}-org`} required maxLength={100} value={externalOrganization} onChange={(e) => setExternalOrganization(e.target.value)} />
        </>
      ) : (
        <>
          <label htmlFor={`${id}-staff`}>{t('meeting.staff')}</label>
          <select id={`${id}-staff`} required value={staffId} onChange={(e) => setStaffId(e.target.value)}>
            <option value="">{t('refer.choose')}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} aria-describedby={`${id}-ack`} /> {t('meeting.acknowledge')}
      </label>
      {m.kind === 'shien_kaigi' && (
        <p id={`${id}-ack`} className="hint">
          {t('meeting.ackRequired')}
        </p>
      )}
      <button type="submit" disabled={add.isPending || !ready}>
        {t('meeting.add')}
      </button>
      <MutationError error={add.error} />
    </form>
  );
}
