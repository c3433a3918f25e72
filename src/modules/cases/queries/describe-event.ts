import { ISSUE_TAG_LABELS } from '../domain/issue-tags';
import { CASE_LABELS } from '../domain/case.machine';
import { REFERRAL_OUTCOME_LABELS } from '../../referrals/domain/referral.machine';
import { COORDINATION_LABELS } from '../../coordination/domain/coordination.machine';
import { MEETING_KIND_LABELS } from '../../coordination/domain/meeting.entity';
import { LEGAL_BASIS_LABELS } from '../../audit/domain/legal-basis';
import { CONNECTION_END_REASON_LABELS } from '../../participation/domain/connection.machine';
import { PARTICIPATION_WISH_LABELS } from '../../participation/domain/resource.entity';
import { WINDOW_VISIT_OUTCOME_LABELS } from '../../participation/domain/window-visit.entity';
import { PERSON_FIELD_LABELS } from '../../referrals/domain/shared-package';
import type { Localized } from '../../../platform/http/app-error';
import type { Vocabulary } from '../../../platform/vocabulary/vocabulary';

type Payload = Record<string, unknown>;

/** The aggregates whose transitions reach a case's timeline, each with its machine's state labels. */
const STATES_BY_AGGREGATE: Record<string, Vocabulary> = { Case: CASE_LABELS.states, CoordinationCase: COORDINATION_LABELS.states };

/** Both languages of one code, from its list. */
const both = (list: Vocabulary, code: unknown): Localized => ({ ja: list.label(code, 'ja'), en: list.label(code, 'en') });

/** One sentence per event, for the case timeline; codes are shown by their labels in each language. */
export function describeEvent(event: { type: string; aggregateType: string; payload: Payload }, departments: Map<string, string>): Localized {
  const { type, payload } = event;
  const dept = (key: string) => departments.get(String(payload[key])) ?? '?';
  const reason = payload.reason ? `（理由: ${payload.reason}）` : '';
  const reasonEn = payload.reason ? ` (reason: ${payload.reason})` : '';
  const outcome = both(REFERRAL_OUTCOME_LABELS, payload.outcome);
  const issues = (lang: keyof Localized) => ((payload.issues as string[]) ?? []).map((i) => ISSUE_TAG_LABELS.label(i, lang));
  switch (type) {
    case 'CaseOpened': {
      return { ja: `ケース ${payload.caseNumber} を受付（${issues('ja').join('・')}）`, en: `Case ${payload.caseNumber} opened (${issues('en').join(', ')})` };
    }
    case 'CasePersonAdded':
      return { ja: `世帯員を追加（${payload.relation}）`, en: `Household member added (${payload.relation})` };
    case 'CasePersonRemoved':
      return { ja: `世帯員を除外（${payload.relation}）${reason}`, en: `Household member removed (${payload.relation})${reasonEn}` };
    case 'CaseIssuesChanged':
      return { ja: `課題を変更（${issues('ja').join('・')}）${reason}`, en: `Issues changed (${issues('en').join(', ')})${reasonEn}` };
    case 'CaseNoteAdded':
      return { ja: '支援経過記録を追加', en: 'Progress note added' };
    case 'ConsentRecorded':
      return { ja: '本人同意を記録', en: 'Consent recorded' };
    case 'ConsentWithdrawn':
      return { ja: `本人同意の撤回を記録${reason}`, en: `Consent withdrawn${reasonEn}` };
    case 'ReferralProposed':
      return { ja: `${dept('toDepartmentId')}へつなぎを依頼（期限 ${payload.dueOn}）`, en: `Referred to ${dept('toDepartmentId')} (answer due ${payload.dueOn})` };
    case 'ReferralPrepared':
      return { ja: `${dept('toDepartmentId')}へのつなぎを準備（課長の承認待ち）`, en: `Referral to ${dept('toDepartmentId')} prepared for the manager’s approval` };
    case 'ReferralApproved':
      return { ja: `課長が承認し、${dept('toDepartmentId')}へつなぎを依頼（期限 ${payload.dueOn}）`, en: `Approved by the manager and referred to ${dept('toDepartmentId')} (answer due ${payload.dueOn})` };
    case 'ReferralReturned':
      return { ja: `課長がつなぎを差戻し${reason}`, en: `The manager returned the referral${reasonEn}` };
    case 'ReferralResubmitted':
      return { ja: 'つなぎを修正して再申請', en: 'Referral revised and resubmitted' };
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
        ja: `${dept('toDepartmentId')}が対応を完了: ${outcome.ja}${payload.note ? `（${payload.note}）` : ''}`,
        en: `${dept('toDepartmentId')} completed: ${outcome.en}${payload.note ? ` (${payload.note})` : ''}`,
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
    case 'EscalationAccepted':
      return { ja: `地域共生推進課が多機関協働の依頼を受理${reason}`, en: `Escalation accepted${reasonEn}` };
    case 'CaseSharedWithMeeting': {
      const [kind, basis] = [both(MEETING_KIND_LABELS, payload.kind), both(LEGAL_BASIS_LABELS, payload.legalBasis)];
      return { ja: `${kind.ja}で情報を共有（${basis.ja}）`, en: `Shared with a ${kind.en.toLowerCase()} (${basis.en})` };
    }
    case 'SupportPlanDrafted':
      return { ja: `支援プラン第${payload.planVersion}版を作成（タスク${payload.tasks}件）`, en: `Support plan v${payload.planVersion} drafted (${payload.tasks} tasks)` };
    case 'PlanTaskReported':
    case 'PlanTaskCompleted':
      return { ja: `${dept('departmentId')}がタスク「${payload.title}」を報告${type === 'PlanTaskCompleted' ? '（完了）' : ''}`, en: `${dept('departmentId')} reported on “${payload.title}”` };
    case 'ParticipationProposed':
    case 'ParticipantIntroduced':
    case 'ParticipationStarted':
    case 'ParticipationContinued':
    case 'ParticipationFollowedUp':
    case 'ParticipationEnded':
      return participationStep(type, payload);
    case 'WindowVisitRecorded': {
      const wishes = (lang: keyof Localized) => ((payload.wishes as string[]) ?? []).map((w) => PARTICIPATION_WISH_LABELS.label(w, lang)).join(lang === 'ja' ? '・' : ', ') || (lang === 'ja' ? 'なし' : 'none');
      const result = both(WINDOW_VISIT_OUTCOME_LABELS, payload.outcome);
      return { ja: `${dept('departmentId')}の窓口を利用（希望: ${wishes('ja')}、結果: ${result.ja}）`, en: `Visited the window of ${dept('departmentId')} (wished: ${wishes('en')}; ${result.en})` };
    }
    case 'MonitoringReviewRecorded':
      return { ja: 'モニタリングを記録', en: 'Monitoring review recorded' };
    case 'GoalsEvaluated':
      return { ja: '目標の達成度を評価', en: 'Goals evaluated' };
    default: {
      const states = STATES_BY_AGGREGATE[event.aggregateType];
      if (states && payload.from && payload.to) {
        const [from, to] = [both(states, payload.from), both(states, payload.to)];
        return { ja: `${from.ja} → ${to.ja}${reason}`, en: `${from.en} → ${to.en}${reasonEn}` };
      }
      // An event this timeline has no sentence for yet: say so rather than show its English name.
      return { ja: 'その他の記録', en: type };
    }
  }
}

/** 参加支援: a connection's steps, naming the resource (and, on introduce, the fields the host was told). */
function participationStep(type: string, payload: Payload): Localized {
  const name = `「${payload.resourceName}」`;
  const fields = (lang: keyof Localized) => ((payload.fields as string[]) ?? []).map((f) => PERSON_FIELD_LABELS.label(f, lang)).join(lang === 'ja' ? '・' : ', ');
  const ended = both(CONNECTION_END_REASON_LABELS, payload.reason);
  const steps: Record<string, Localized> = {
    ParticipationProposed: { ja: `参加支援: ${name}へのつなぎを提案`, en: `Participation: proposed ${payload.resourceName}` },
    ParticipantIntroduced: { ja: `参加支援: ${name}へ紹介（伝えた項目: ${fields('ja')}）`, en: `Participation: introduced to ${payload.resourceName} (told: ${fields('en')})` },
    ParticipationStarted: { ja: `参加支援: ${name}で参加開始`, en: `Participation: started at ${payload.resourceName}` },
    ParticipationContinued: { ja: `参加支援: ${name}での参加の継続を確認`, en: `Participation: continuing at ${payload.resourceName}` },
    ParticipationFollowedUp: { ja: `参加支援: ${name}のフォローアップを記録`, en: `Participation: followed up at ${payload.resourceName}` },
    ParticipationEnded: { ja: `参加支援: ${name}への参加が終了（${ended.ja}）`, en: `Participation: ended at ${payload.resourceName} (${ended.en})` },
  };
  return steps[type];
}
