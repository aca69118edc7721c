import { randomUUID } from 'node:crypto';
import { EntitySubscriberInterface, EventSubscriber, InsertEvent } from 'typeorm';

/** Gives every inserted row with an empty `id` primary key (see `IdColumn`) a new UUID. */
@EventSubscriber()
export class UuidSubscriber implements EntitySubscriberInterface {
  beforeInsert(event: InsertEvent<Record<string, unknown>>): void {
    const id = event.metadata.primaryColumns.find(
      (c) => c.propertyName === 'id' && c.type === 'varchar' && c.length === '36',
    );
    if (id && event.entity && !event.entity.id) event.entity.id = randomUUID();
  }
}
