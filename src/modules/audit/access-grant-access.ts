import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { AccessGrantSchema, type AccessGrant } from './domain/access-grant.entity';

const NO_SUCH_GRANT = { ja: '閲覧特例の申請が見つかりません。', en: 'No such access grant.' };

/** Loads a grant the caller may act on; deciding one's own request is refused (403) and audited. */
export async function loadAccessGrant(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<AccessGrant> {
  const found = await em.findOne(AccessGrantSchema, { id });
  if (!found) throw notFound(NO_SUCH_GRANT);
  assertCanOrHide(auth, action, 'AccessGrant', found);
  return found;
}
