import { Global, Module } from '@nestjs/common';
import { EventDelivery } from './event-delivery';
import { EventLog } from './event-log';
import { OutboxRelay } from './outbox-relay';

@Global()
@Module({ providers: [EventLog, OutboxRelay, EventDelivery], exports: [EventLog, OutboxRelay, EventDelivery] })
export class EventsModule {}
