import { Global, Module } from '@nestjs/common';
import { EventLog } from './event-log';
import { OutboxRelay } from './outbox-relay';

@Global()
@Module({ providers: [EventLog, OutboxRelay], exports: [EventLog, OutboxRelay] })
export class EventsModule {}
