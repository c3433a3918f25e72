import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 法的根拠 — the legal bases a read or share of personal data can rest on (domain.md §5). */
export const LEGAL_BASES = {
  CONSENT: { en: 'Consent of the person', ja: '本人同意', article: '個人情報保護法69条2項1号' },
  APPI_INTERNAL: { en: 'Internal use beyond the purpose', ja: '目的外内部利用', article: '個人情報保護法69条2項2号' },
  APPI_PUBLIC_BODY: { en: 'Provision to another public body', ja: '他の行政機関等への提供', article: '個人情報保護法69条2項3号' },
  APPI_SPECIAL: { en: 'In the person’s interest or special grounds', ja: '本人の利益・特別の理由', article: '個人情報保護法69条2項4号' },
  SWA_SHIEN_KAIGI: { en: 'Support meeting', ja: '支援会議', article: '社会福祉法106条の6' },
  SWA_JUSO_KAIGI: { en: 'Multi-layered support meeting', ja: '重層的支援会議', article: '社会福祉法106条の4・要綱' },
  SWA_ITAKU: { en: 'Contractor', ja: '委託先', article: '個人情報保護法66条2項' },
  DMA_ROSTER_INTERNAL: { en: 'Internal use of the register', ja: '名簿の内部利用', article: '災害対策基本法49条の11第1項' },
  DMA_ROSTER_NORMAL: { en: 'Register provision in normal times', ja: '平常時名簿提供', article: '災害対策基本法49条の11第2項' },
  DMA_ROSTER_DISASTER: { en: 'Register provision in a disaster', ja: '災害時名簿提供', article: '災害対策基本法49条の11第3項' },
  DMA_PLAN_CREATE: { en: 'Making an individual evacuation plan', ja: '個別避難計画の作成', article: '災害対策基本法49条の14' },
  DMA_PLAN_NORMAL: { en: 'Plan provision in normal times', ja: '平常時計画提供', article: '災害対策基本法49条の15第2項' },
  DMA_PLAN_DISASTER: { en: 'Plan provision in a disaster', ja: '災害時計画提供', article: '災害対策基本法49条の15第3項' },
  CWA_YOTAIKYO: { en: 'Regional council for children in need of protection', ja: '要保護児童対策地域協議会', article: '児童福祉法25条の2' },
  LTCI_CARE_MTG: { en: 'Community care meeting', ja: '地域ケア会議', article: '介護保険法115条の48' },
  ABUSE_REPORT: { en: 'Abuse report', ja: '虐待通告', article: '児童虐待防止法6条 等' },
} as const;

export type LegalBasis = keyof typeof LEGAL_BASES;
export const LEGAL_BASIS_LABELS = vocabulary<LegalBasis>('legalBasis', LEGAL_BASES);
export const LEGAL_BASIS_CODES = Object.keys(LEGAL_BASES) as LegalBasis[];
