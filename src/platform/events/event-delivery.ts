import { Injectable } from '@nestjs/common';

/**
 * What "delivered" means for the outbox: the subscribers that keep state (read models, criteria)
 * register here, the relay marks a batch published only once they have settled, and an event one of
 * them could not handle stays pending for the next round. A crash in between means the batch goes
 * out again, which they must bear (they do: a redelivered event changes nothing).
 */
@Injectable()
export class EventDelivery {
  private readonly subscribers: (() => Promise<unknown>)[] = [];
  private readonly failed = new Set<number>();

  register(settled: () => Promise<unknown>): void {
    this.subscribers.push(settled);
  }

  /** A subscriber could not handle the event: it is tried again with the next batch. */
  fail(eventId: number): void {
    this.failed.add(eventId);
  }

  /** Waits for every subscriber; answers the events of the batch that were handled. */
  async settle(eventIds: number[]): Promise<number[]> {
    await Promise.all(this.subscribers.map((settled) => settled()));
    const handled = eventIds.filter((id) => !this.failed.has(id));
    for (const id of eventIds) this.failed.delete(id);
    return handled;
  }
}
