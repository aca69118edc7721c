import type { EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { afterTransaction } from './after-transaction.js';

function aTransaction() {
  const subscribers: EntitySubscriberInterface[] = [];
  const queryRunner = { isTransactionActive: true };
  const manager = {
    queryRunner: queryRunner as unknown as QueryRunner,
    connection: { subscribers },
  } as unknown as EntityManager;
  const end = (how: 'commit' | 'rollback', stillActive = false) => {
    queryRunner.isTransactionActive = stillActive;
    const event = { queryRunner } as never;
    for (const s of subscribers)
      if (how === 'commit') s.afterTransactionCommit?.(event);
      else s.afterTransactionRollback?.(event);
  };
  return { manager, end };
}

describe('afterTransaction', () => {
  it('runs the work when the outer transaction commits, not when a savepoint is released', () => {
    const { manager, end } = aTransaction();
    const ran: string[] = [];
    afterTransaction(manager, () => ran.push('a'));
    afterTransaction(manager, () => ran.push('b'));
    expect(ran).toEqual([]);
    end('commit', true);
    expect(ran).toEqual([]);
    end('commit');
    expect(ran).toEqual(['a', 'b']);
    end('commit');
    expect(ran).toEqual(['a', 'b']);
  });

  it('runs the work after a rollback too', () => {
    const { manager, end } = aTransaction();
    let ran = 0;
    afterTransaction(manager, () => (ran += 1));
    end('rollback');
    expect(ran).toBe(1);
  });

  it('runs the work at once outside a transaction', () => {
    let ran = 0;
    afterTransaction({ queryRunner: undefined } as unknown as EntityManager, () => (ran += 1));
    expect(ran).toBe(1);
  });
});
