import type { Language } from '../../../platform/http/app-error';
import { vocabulary, vocabularyNamed, type Label } from '../../../platform/vocabulary/vocabulary';
import { ACCESS_ACTION_LABELS } from '../../access/access-action-labels';

/**
 * Audit actions are `<subject>.<verb>` codes (`case.read`): the code stays in the log and in the
 * search (`action=`), people read a label. Actions written as a literal are labelled here, whole;
 * actions built from a step (`case.${action}`, `register.${event}`) are labelled by composing the
 * subject's label with the step's label the step's own list already has (`case.close` → ケースの終結),
 * so a new machine event is labelled in the log once it is labelled on its machine.
 * `audit-actions.spec.ts` finds the actions in the source and fails on any without a label.
 */

/** What an action is done to: the part before the dot. */
export const AUDIT_ACTION_SUBJECT_LABELS = vocabulary('auditActionSubject', {
  case: { ja: 'ケース', en: 'Case' },
  consent: { ja: '本人同意', en: 'Consent' },
  referral: { ja: 'つなぎ', en: 'Referral' },
  'information-request': { ja: '情報照会', en: 'Information request' },
  'dv-measure': { ja: '支援措置', en: 'Support measure' },
  coordination: { ja: '多機関協働', en: 'Coordination' },
  meeting: { ja: '会議', en: 'Meeting' },
  person: { ja: '個人', en: 'Person' },
  register: { ja: '名簿', en: 'Register' },
  roster: { ja: '名簿提供', en: 'Roster' },
  disaster: { ja: '災害', en: 'Disaster' },
  staff: { ja: '職員', en: 'Staff' },
  'role-change': { ja: '役割変更申請', en: 'Role change' },
  'tenant-settings': { ja: '自治体設定', en: 'Municipality settings' },
  'access-grant': { ja: '閲覧許可申請', en: 'Access grant' },
  audit: { ja: '監査ログ', en: 'Audit log' },
  reporting: { ja: '集計', en: 'Reporting' },
  participation: { ja: '参加支援', en: 'Participation support' },
});
type Subject = (typeof AUDIT_ACTION_SUBJECT_LABELS.codes)[number];

/** Actions written as a literal, each labelled whole. */
export const AUDIT_ACTION_LABELS = vocabulary('auditAction', {
  'case.open': { ja: 'ケースの受付', en: 'Case opened' },
  'case.read': { ja: 'ケースの閲覧', en: 'Case read' },
  'case.list': { ja: 'ケース一覧の閲覧', en: 'Case list read' },
  'case.timeline': { ja: 'ケース経過の閲覧', en: 'Case timeline read' },
  'case.add-note': { ja: '支援経過記録の追加', en: 'Progress note added' },
  'case.add-person': { ja: 'ケースへの世帯員の追加', en: 'Person added to a case' },
  'case.remove-person': { ja: 'ケースからの世帯員の削除', en: 'Person removed from a case' },
  'case.change-issues': { ja: 'ケースの課題の変更', en: 'Case issues changed' },
  'consent.record': { ja: '本人同意の記録', en: 'Consent recorded' },
  'consent.withdraw': { ja: '本人同意の撤回', en: 'Consent withdrawn' },
  'consent.list': { ja: '本人同意の一覧の閲覧', en: 'Consents read' },
  'dv-measure.request': { ja: '支援措置の設定申請', en: 'Support measure requested' },
  'dv-measure.list': { ja: '支援措置の閲覧', en: 'Support measures read' },
  'dv-measure.renewals': { ja: '支援措置の更新確認一覧の閲覧', en: 'Support measure renewals read' },
  'dv-measure.renewal-due': { ja: '支援措置の更新確認の通知', en: 'Support measure renewal due' },
  'information-request.request': { ja: '情報照会の送信', en: 'Information requested' },
  'information-request.share-contact': { ja: '情報照会での連絡先の提供', en: 'Contact details disclosed on an information request' },
  'information-request.share-sensitive': { ja: '情報照会での要配慮個人情報の提供', en: 'Sensitive data disclosed on an information request' },
  'information-request.share-not-held': { ja: '情報照会での保有していない項目の提供', en: 'Fields not held disclosed on an information request' },
  'referral.read': { ja: 'つなぎの閲覧', en: 'Referral read' },
  'referral.share': { ja: 'つなぎでの情報共有', en: 'Shared with a referral' },
  'referral.prepare': { ja: 'つなぎの準備（課長の承認待ち）', en: 'Referral prepared for the manager’s approval' },
  'referral.share-contact': { ja: 'つなぎでの連絡先の共有', en: 'Contact details shared with a referral' },
  'referral.share-sensitive': { ja: 'つなぎでの要配慮個人情報の共有', en: 'Sensitive data shared with a referral' },
  'referral.share-special': { ja: 'つなぎでの特別な配慮を要する情報の共有', en: 'Special-care data shared with a referral' },
  'referral.share-not-held': { ja: 'つなぎでの保有していない情報の共有', en: 'Data not held shared with a referral' },
  'referral.overdue': { ja: 'つなぎの対応期限超過', en: 'Referral overdue' },
  'coordination.open': { ja: '多機関協働の開始', en: 'Coordination opened' },
  'coordination.escalate': { ja: '多機関協働へのエスカレーション', en: 'Escalated to coordination' },
  'coordination.escalation-accept': { ja: 'エスカレーションの受理', en: 'Escalation accepted' },
  'coordination.escalation-return': { ja: 'エスカレーションの差戻し', en: 'Escalation returned' },
  'coordination.configure-criteria': { ja: 'エスカレーション基準の設定', en: 'Escalation criteria configured' },
  'coordination.save-plan': { ja: '支援プランの保存', en: 'Support plan saved' },
  'coordination.evaluate-goals': { ja: '目標の評価', en: 'Goals evaluated' },
  'coordination.review': { ja: 'モニタリングの記録', en: 'Review recorded' },
  'coordination.report-task': { ja: 'タスクの報告', en: 'Task reported' },
  'meeting.convene': { ja: '会議の開催', en: 'Meeting convened' },
  'meeting.add-member': { ja: '会議の構成員の追加', en: 'Meeting member added' },
  'meeting.share': { ja: '会議への情報共有', en: 'Shared with a meeting' },
  'meeting.minutes': { ja: '議事録の記録', en: 'Minutes recorded' },
  'meeting.decide': { ja: '会議の決定の記録', en: 'Meeting decision recorded' },
  'meeting.read': { ja: '会議の閲覧', en: 'Meeting read' },
  'meeting.read-record': { ja: '会議記録の閲覧', en: 'Meeting record read' },
  'person.read': { ja: '個人情報の閲覧', en: 'Person read' },
  'person.read-contact': { ja: '連絡先の閲覧', en: 'Contact details read' },
  'person.search': { ja: '個人の検索', en: 'People searched' },
  'person.search-result': { ja: '検索結果の個人情報の閲覧', en: 'Person read in search results' },
  'person.history': { ja: '個人情報の履歴の閲覧', en: 'Person history read' },
  'person.intake-check': { ja: '受付時の既存確認', en: 'Intake check' },
  'person.attach': { ja: '既存の個人への紐付け', en: 'Attached to a person on file' },
  'person.correct': { ja: '個人情報の訂正', en: 'Person corrected' },
  'person.merge': { ja: '名寄せ（同一人の記録の統合）', en: 'Person records merged' },
  'person.merge-undo': { ja: '名寄せの取消', en: 'Person merge undone' },
  'person.merge-list': { ja: '名寄せの一覧の閲覧', en: 'Person merges listed' },
  'person.disclosures': { ja: '個人情報の提供記録の閲覧', en: 'Disclosures of a person read' },
  'register.add': { ja: '名簿への追加', en: 'Added to the register' },
  'register.read': { ja: '名簿の閲覧', en: 'Register read' },
  'register.configure': { ja: '名簿の設定', en: 'Register configured' },
  'register.upload': { ja: '名簿候補者の取込み', en: 'Register candidates uploaded' },
  'register.plan': { ja: '個別避難計画の保存', en: 'Evacuation plan saved' },
  'register.renewal-start': { ja: '名簿更新の開始', en: 'Register renewal started' },
  'register.return-done': { ja: '名簿情報の返却完了', en: 'Return of register data done' },
  'roster.read-person': { ja: '名簿提供（個人）', en: 'Roster provided for a person' },
  'roster.read-district': { ja: '名簿提供（地区）', en: 'Roster provided for a district' },
  'roster.roster_view': { ja: '名簿の閲覧提供', en: 'Roster viewed' },
  'roster.roster_download': { ja: '名簿のダウンロード提供', en: 'Roster downloaded' },
  'roster.plans': { ja: '個別避難計画の提供', en: 'Evacuation plans provided' },
  'disaster.declare': { ja: '災害の宣言', en: 'Disaster declared' },
  'disaster.close': { ja: '災害の終了', en: 'Disaster closed' },
  'staff.create': { ja: '職員の登録', en: 'Staff created' },
  'staff.update': { ja: '職員の更新', en: 'Staff updated' },
  'role-change.request': { ja: '役割変更の申請', en: 'Role change requested' },
  'tenant-settings.update': { ja: '自治体設定の更新', en: 'Municipality settings updated' },
  'access-grant.request': { ja: '閲覧許可の申請', en: 'Access grant requested' },
  'access-grant.use': { ja: '閲覧許可による閲覧', en: 'Read under an access grant' },
  'access-grant.list': { ja: '閲覧許可申請の一覧', en: 'Access grants listed' },
  'access-grant.read': { ja: '閲覧許可申請の閲覧', en: 'Access grant read' },
  'audit.search': { ja: '監査ログの検索', en: 'Audit log searched' },
  'audit.export': { ja: '監査ログの出力', en: 'Audit log exported' },
  'audit.person-report': { ja: '個人の閲覧記録の確認', en: 'Person report read' },
  'audit.anomalies': { ja: '不審な操作の確認', en: 'Anomalies read' },
  'audit.checkpoint': { ja: 'チェックポイントの取得', en: 'Checkpoint taken' },
  'audit.checkpoint-verify': { ja: 'チェックポイントの検証', en: 'Checkpoint verified' },
  'audit.verify': { ja: '監査ログの改ざん検証', en: 'Audit chain verified' },
  'audit.verification-start': { ja: '改ざん検証の開始', en: 'Chain verification started' },
  'audit.verification-finish': { ja: '改ざん検証の完了', en: 'Chain verification finished' },
  'reporting.rebuild': { ja: '集計の再構築', en: 'Reporting rebuilt' },
  'participation.resource-create': { ja: '社会資源の登録', en: 'Resource added' },
  'participation.resource-update': { ja: '社会資源の更新', en: 'Resource updated' },
  'participation.resource-close': { ja: '社会資源の終了', en: 'Resource closed' },
  'participation.volunteer-create': { ja: '人財の登録', en: 'Volunteer listed' },
  'participation.volunteer-update': { ja: '人財の更新', en: 'Volunteer updated' },
  'participation.volunteer-read-contact': { ja: '人財の連絡先の閲覧', en: 'Volunteer contact read' },
  'participation.resource-import': { ja: '社会資源のCSV取込', en: 'Resources imported from CSV' },
  'participation.connect': { ja: 'つなぎ先の提案', en: 'Connection proposed' },
  'participation.introduce': { ja: 'つなぎ先への紹介（情報提供）', en: 'Introduced to the host (disclosed)' },
  'participation.start': { ja: '参加開始の記録', en: 'Start recorded' },
  'participation.continue': { ja: '参加継続の確認', en: 'Continuation confirmed' },
  'participation.follow-up': { ja: 'フォローアップの記録', en: 'Follow-up recorded' },
  'participation.end': { ja: 'つなぎの終了', en: 'Connection ended' },
  'participation.window-visit-record': { ja: '窓口利用の記録', en: 'Window visit recorded' },
  'participation.window-visit-read': { ja: '窓口利用の記録の閲覧', en: 'Window visit read' },
  'participation.task-done': { ja: '参加支援タスクの完了', en: 'Participation task done' },
  'participation.share-contact': { ja: 'つなぎ先への連絡先の提供', en: 'Contact details told to a host' },
  'participation.share-not-held': { ja: 'つなぎ先への保有していない項目の提供', en: 'Fields not held told to a host' },
} satisfies Record<`${Subject}.${string}`, Label>);

/**
 * The lists a built action's step is labelled from, by subject: a machine's events (URL actions are
 * their kebab-case, recorder steps their lower case), or for a person the permission checked.
 */
const STEP_LISTS: Partial<Record<Subject, string>> = {
  case: 'case.event',
  referral: 'referral.event',
  'information-request': 'information-request.event',
  'dv-measure': 'dv-measure.event',
  coordination: 'coordination.event',
  register: 'register.event',
  'role-change': 'role-change.event',
  'access-grant': 'access-grant.event',
  person: ACCESS_ACTION_LABELS.name,
};

/** `resume-support`, `send_notice` → the event `RESUME_SUPPORT`, `SEND_NOTICE`. */
const asEvent = (step: string) => step.replaceAll('-', '_').toUpperCase();

/** Both labels of an action, or undefined for a code nobody labelled (the spec keeps that from happening). */
export function auditActionLabel(code: string): Label | undefined {
  if (AUDIT_ACTION_LABELS.has(code)) return AUDIT_ACTION_LABELS.labels[code];
  // A refusal by a permission check records the bare action checked (`read`).
  if (ACCESS_ACTION_LABELS.has(code)) return ACCESS_ACTION_LABELS.labels[code];
  const [subject, step = ''] = code.split(/\.(.*)/);
  if (!AUDIT_ACTION_SUBJECT_LABELS.has(subject)) return undefined;
  const listName = STEP_LISTS[subject];
  const steps = listName ? vocabularyNamed(listName) : undefined;
  const stepCode = [step, asEvent(step)].find((candidate) => steps?.has(candidate));
  if (!steps || stepCode === undefined) return undefined;
  const [what, how] = [AUDIT_ACTION_SUBJECT_LABELS.labels[subject], steps.labels[stepCode]];
  return { ja: `${what.ja}の${how.ja}`, en: `${what.en}: ${how.en.charAt(0).toLowerCase()}${how.en.slice(1)}` };
}

/** What people read for an action in one language; an unlabelled code is shown as it is rather than hidden. */
export function auditActionText(code: string, lang: Language): string {
  return auditActionLabel(code)?.[lang] ?? code;
}
