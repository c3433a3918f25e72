import { AppError } from '../../../platform/http/app-error';
import type { Department } from '../../directory/domain/department.entity';

/**
 * What each legal basis (法的根拠, domain.md §5) asks of a share between departments, decided here once for
 * referrals and 情報照会 alike.
 */

/** Bases on which each person's own standing consent is the ground (個保法69条②1; 重層的支援会議 by 要綱). */
export const CONSENT_BASED: readonly string[] = ['CONSENT', 'SWA_JUSO_KAIGI'];

/** Bases a share may leave on only once the sending department's manager approves it (個保法69条②4). */
export const APPROVAL_BASES: readonly string[] = ['APPI_SPECIAL'];

/** Every basis but consent records why sharing without it is lawful here. */
export const needsBasisReason = (legalBasis: string): boolean => !CONSENT_BASED.includes(legalBasis);
export const BASIS_REASON_MISSING = { ja: '同意以外の根拠では理由の記録が必要です。', en: 'A basis other than consent needs a recorded reason.' };

const ACROSS_BODIES = {
  ja: '他の機関（教育委員会など）との間の提供は、目的外内部利用（個保法69条2項2号）ではなく、他の行政機関等への提供（同項3号）によります。',
  en: 'Between separate bodies (a board of education, say) the basis is provision to another public body (APPI 69(2)(iii)), not internal use (69(2)(ii)).',
};
const WITHIN_ONE_BODY = {
  ja: '他の行政機関等への提供（個保法69条2項3号）は、別の機関（教育委員会など）の課との間でのみ使えます。同じ機関の課の間では目的外内部利用（同項2号）によります。',
  en: 'Provision to another public body (APPI 69(2)(iii)) applies only between separate bodies (a board of education, say); within one body the basis is internal use (69(2)(ii)).',
};

/**
 * 69条②2 is use inside one body (機関), 69条②3 provision to another: the departments' organs decide which
 * fits. A mismatch is refused (422, ja/en) before anything is written.
 */
export function refuseBasisAcrossBodies(legalBasis: string, from: Pick<Department, 'organ'>, to: Pick<Department, 'organ'>, field: string): void {
  const separate = from.organ !== to.organ;
  if (legalBasis === 'APPI_INTERNAL' && separate) throw new AppError('guard_failed', { detail: ACROSS_BODIES, meta: { field } });
  if (legalBasis === 'APPI_PUBLIC_BODY' && !separate) throw new AppError('guard_failed', { detail: WITHIN_ONE_BODY, meta: { field } });
}
