import { vocabulary, type Label } from '../../platform/vocabulary/vocabulary';
import type { Action } from './ability.factory';

/**
 * What a permission check was for, in words: a refusal's audit row records the checked action
 * (`read`, or `person.readContact` on a person), and `undeclared` for a route that declares none.
 */
export const ACCESS_ACTION_LABELS = vocabulary('accessAction', {
  read: { ja: '閲覧', en: 'Read' },
  create: { ja: '作成', en: 'Create' },
  update: { ja: '更新', en: 'Update' },
  verify: { ja: '検証', en: 'Verify' },
  refer: { ja: 'つなぎ', en: 'Refer' },
  respond: { ja: 'つなぎへの対応', en: 'Respond to a referral' },
  withdraw: { ja: '取下げ', en: 'Withdraw' },
  readSensitive: { ja: '要配慮個人情報の閲覧', en: 'Read sensitive data' },
  readContact: { ja: '連絡先の閲覧', en: 'Read contact details' },
  shareSpecial: { ja: '要配慮個人情報の共有', en: 'Share sensitive data' },
  escalate: { ja: 'エスカレーション', en: 'Escalate' },
  decide: { ja: '決定', en: 'Decide' },
  readShared: { ja: '共有情報の閲覧', en: 'Read shared data' },
  report: { ja: '報告', en: 'Report' },
  configure: { ja: '設定', en: 'Configure' },
  revoke: { ja: '取消', en: 'Revoke' },
  merge: { ja: '名寄せ（統合）', en: 'Merge' },
  undeclared: { ja: '権限の定めのない操作', en: 'Undeclared operation' },
} satisfies Record<Action | 'undeclared', Label>);
