import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import type { RequestAuth } from '../../access/request-auth';
import { loadHeldPerson } from '../person-access';
import { PersonHoldings } from '../person-holdings';
import { ConsentBook } from './consent-book';
import type { RecordPersonConsentInput, WithdrawPersonConsentInput } from './consent.schemas';

export class RecordPersonConsentCommand extends Command<{ id: string; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly input: RecordPersonConsentInput,
  ) {
    super();
  }
}

/** 本人同意 recorded at the person: only by a department holding them (404 otherwise, as if unknown). */
@CommandHandler(RecordPersonConsentCommand)
export class RecordPersonConsentHandler implements ICommandHandler<RecordPersonConsentCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly book: ConsentBook,
  ) {}

  execute({ auth, personId, input }: RecordPersonConsentCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadHeldPerson(em, auth, this.holdings, personId, 'create', 'PersonConsent');
      const consent = await this.book.record(em, auth.audit, personId, input);
      return { id: consent.id, version: consent.version };
    });
  }
}

export class WithdrawPersonConsentCommand extends Command<{ id: string; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly consentId: string,
    readonly expectedVersion: number,
    readonly input: WithdrawPersonConsentInput,
  ) {
    super();
  }
}

/** 同意の撤回 on the version read: from this moment no referral, meeting or roster rests on it. */
@CommandHandler(WithdrawPersonConsentCommand)
export class WithdrawPersonConsentHandler implements ICommandHandler<WithdrawPersonConsentCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly book: ConsentBook,
  ) {}

  execute({ auth, personId, consentId, expectedVersion, input }: WithdrawPersonConsentCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadHeldPerson(em, auth, this.holdings, personId, 'withdraw', 'PersonConsent');
      const consent = await this.book.withdraw(em, auth.audit, { id: consentId, personId }, { expectedVersion, withdrawnOn: input.withdrawnOn, reason: input.reason });
      return { id: consent.id, version: consent.version };
    });
  }
}
