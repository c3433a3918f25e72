import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { ReferralSchema, type Referral } from './domain/referral.entity';

const NO_SUCH_REFERRAL = { ja: 'つなぎが見つかりません。', en: 'No such referral.' };

/** Loads a referral the caller may act on; one they may not even see answers 404 (and is audited). */
export async function loadReferral(em: EntityManager, auth: RequestAuth, referralId: string, action: Action): Promise<Referral> {
  const found = await em.findOne(ReferralSchema, { id: referralId });
  if (!found) throw notFound(NO_SUCH_REFERRAL);
  assertCanOrHide(auth, action, 'Referral', found);
  return found;
}
