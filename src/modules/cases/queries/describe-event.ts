import { ISSUE_TAGS, type IssueTag } from '../domain/issue-tags';
import { REFERRAL_OUTCOMES } from '../../referrals/domain/referral.machine';
import type { Localized } from '../../../platform/http/app-error';

const STATE_JA: Record<string, string> = {
  intake: '受付',
  assessment: 'アセスメント',
  support: '支援中',
  monitoring: 'モニタリング',
  closed: '終結',
  suspended: '中断',
};

type Payload = Record<string, unknown>;

/** One sentence per event, for the case timeline. */
export function describeEvent(type: string, payload: Payload, departments: Map<string, string>): Localized {
  const dept = (key: string) => departments.get(String(payload[key])) ?? '?';
  const reason = payload.reason ? `（理由: ${payload.reason}）` : '';
  const reasonEn = payload.reason ? ` (reason: ${payload.reason})` : '';
  const outcome = REFERRAL_OUTCOMES.find((o) => o.code === payload.outcome);
  switch (type) {
    case 'CaseOpened': {
      const issues = ((payload.issues as string[]) ?? []).map((i) => ISSUE_TAGS[i as IssueTag]?.ja ?? i).join('・');
      return { ja: `ケース ${payload.caseNumber} を受付（${issues}）`, en: `Case ${payload.caseNumber} opened (${payload.issues})` };
    }
    case 'CasePersonAdded':
      return { ja: `世帯員を追加（${payload.relation}）`, en: `Household member added (${payload.relation})` };
    case 'CasePersonRemoved':
      return { ja: `世帯員を除外（${payload.relation}）${reason}`, en: `Household member removed (${payload.relation})${reasonEn}` };
    case 'CaseIssuesChanged': {
      const issues = ((payload.issues as string[]) ?? []).map((i) => ISSUE_TAGS[i as IssueTag]?.ja ?? i).join('・');
      return { ja: `課題を変更（${issues}）${reason}`, en: `Issues changed (${payload.issues})${reasonEn}` };
    }
    case 'CaseNoteAdded':
      return { ja: '支援経過記録を追加', en: 'Progress note added' };
    case 'ConsentRecorded':
      return { ja: '本人同意を記録', en: 'Consent recorded' };
    case 'ConsentWithdrawn':
      return { ja: `本人同意の撤回を記録${reason}`, en: `Consent withdrawn${reasonEn}` };
    case 'ReferralProposed':
      return { ja: `${dept('toDepartmentId')}へつなぎを依頼（期限 ${payload.dueOn}）`, en: `Referred to ${dept('toDepartmentId')} (answer due ${payload.dueOn})` };
    case 'ReferralAccepted':
      return { ja: `${dept('toDepartmentId')}がつなぎを受理`, en: `${dept('toDepartmentId')} accepted the referral` };
    case 'ReferralDeclined':
      return { ja: `${dept('toDepartmentId')}がつなぎを辞退${reason}`, en: `${dept('toDepartmentId')} declined the referral${reasonEn}` };
    case 'ReferralWithdrawn':
      return { ja: `つなぎを取下げ${reason}`, en: `Referral withdrawn${reasonEn}` };
    case 'ReferralExpired':
      return { ja: `${dept('toDepartmentId')}からの回答がなく、つなぎが期限切れ`, en: `No answer from ${dept('toDepartmentId')}: the referral expired` };
    case 'ReferralOverdue':
      return { ja: `${dept('toDepartmentId')}の回答期限を過ぎています`, en: `${dept('toDepartmentId')} is past the answer deadline` };
    case 'ReferralStarted':
      return { ja: `${dept('toDepartmentId')}が対応を開始`, en: `${dept('toDepartmentId')} started work` };
    case 'ReferralPutOnHold':
      return { ja: `${dept('toDepartmentId')}が対応を保留${reason}`, en: `${dept('toDepartmentId')} put it on hold${reasonEn}` };
    case 'ReferralResumed':
      return { ja: `${dept('toDepartmentId')}が対応を再開`, en: `${dept('toDepartmentId')} resumed work` };
    case 'ReferralCompleted':
      return {
        ja: `${dept('toDepartmentId')}が対応を完了: ${outcome?.ja ?? payload.outcome}${payload.note ? `（${payload.note}）` : ''}`,
        en: `${dept('toDepartmentId')} completed: ${payload.outcome}${payload.note ? ` (${payload.note})` : ''}`,
      };
    case 'CaseFlaggedForCoordination':
      return { ja: `多機関協働の候補（${((payload.because as string[]) ?? []).join('、')}）`, en: `Flagged for multi-agency collaboration (${payload.matched})` };
    case 'CaseUrgentlyEscalated':
      return { ja: `緊急: 支援会議へ（${((payload.because as string[]) ?? []).join('、')}）`, en: `Urgent: escalated to a support meeting (${payload.matched})` };
    case 'CaseEscalated':
      return { ja: `多機関協働を依頼${reason}`, en: `Escalated for multi-agency collaboration${reasonEn}` };
    case 'EscalationReturned':
      return { ja: `多機関協働の依頼を差し戻し${reason}`, en: `Escalation returned${reasonEn}` };
    case 'CoordinationOpened':
      return { ja: '地域共生推進課が多機関協働として受理（スクリーニング）', en: 'Taken up for multi-agency collaboration (screening)' };
    case 'CaseSharedWithMeeting':
      return {
        ja: `${payload.kind === 'shien_kaigi' ? '支援会議' : '重層的支援会議'}で情報を共有（${payload.legalBasis}）`,
        en: `Shared with a ${payload.kind === 'shien_kaigi' ? 'support meeting' : 'multi-layered support meeting'} (${payload.legalBasis})`,
      };
    case 'SupportPlanDrafted':
      return { ja: `支援プラン第${payload.planVersion}版を作成（タスク${payload.tasks}件）`, en: `Support plan v${payload.planVersion} drafted (${payload.tasks} tasks)` };
    case 'PlanTaskReported':
    case 'PlanTaskCompleted':
      return { ja: `${dept('departmentId')}がタスク「${payload.title}」を報告${type === 'PlanTaskCompleted' ? '（完了）' : ''}`, en: `${dept('departmentId')} reported on “${payload.title}”` };
    case 'MonitoringReviewRecorded':
      return { ja: 'モニタリングを記録', en: 'Monitoring review recorded' };
    case 'GoalsEvaluated':
      return { ja: '目標の達成度を評価', en: 'Goals evaluated' };
    default: {
      if (payload.from && payload.to) {
        return {
          ja: `${STATE_JA[String(payload.from)] ?? payload.from} → ${STATE_JA[String(payload.to)] ?? payload.to}${reason}`,
          en: `${payload.from} → ${payload.to}${reasonEn}`,
        };
      }
      return { ja: type, en: type };
    }
  }
}
