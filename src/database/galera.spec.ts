import { loadConfig } from '../config/app-config.js';
import { galeraNodeReady, sessionSyncWait } from './galera.js';

const status = (ready: string, state: string) => [
  { Variable_name: 'wsrep_local_state_comment', Value: state },
  { Variable_name: 'wsrep_ready', Value: ready },
];

describe('galeraNodeReady', () => {
  it('takes traffic only when the node is ready and Synced', () => {
    expect(galeraNodeReady(status('ON', 'Synced'))).toBe(true);
  });

  it('is not ready while donor/desynced, joining, joined or cut off from the cluster', () => {
    expect(galeraNodeReady(status('ON', 'Donor/Desynced'))).toBe(false);
    expect(galeraNodeReady(status('OFF', 'Joining: receiving State Transfer'))).toBe(false);
    expect(galeraNodeReady(status('ON', 'Joined'))).toBe(false);
    // Non-primary: wsrep_ready OFF, whatever the state says.
    expect(galeraNodeReady(status('OFF', 'Synced'))).toBe(false);
    expect(galeraNodeReady(status('OFF', 'Initialized'))).toBe(false);
  });

  it('is not ready when a value is missing (no provider loaded)', () => {
    expect(galeraNodeReady([])).toBe(false);
    expect(galeraNodeReady([{ Variable_name: 'wsrep_ready', Value: 'ON' }])).toBe(false);
    expect(galeraNodeReady([{ Variable_name: 'wsrep_local_state_comment', Value: 'Synced' }])).toBe(
      false,
    );
  });
});

describe('sessionSyncWait', () => {
  const mysql = (env: Record<string, string>, galera: boolean | undefined) => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/app', ...env });
    if (config.database.type === 'mysql') config.database.galera = galera;
    return config;
  };

  it('waits before reads on Galera by default; DB_SYNC_WAIT=0 turns it off', () => {
    expect(sessionSyncWait(mysql({}, true))).toBe(1);
    expect(sessionSyncWait(mysql({ DB_SYNC_WAIT: '0' }, true))).toBe(0);
    expect(sessionSyncWait(mysql({ DB_SYNC_WAIT: '3' }, true))).toBe(3);
  });

  it('sets nothing on a server that is not Galera, nor on SQLite', () => {
    expect(sessionSyncWait(mysql({}, false))).toBeNull();
    expect(sessionSyncWait(mysql({ DB_SYNC_WAIT: '1' }, false))).toBeNull();
    expect(sessionSyncWait(mysql({}, undefined))).toBeNull();
    expect(
      sessionSyncWait(loadConfig({ DATABASE_URL: 'sqlite::memory:', DB_SYNC_WAIT: '1' })),
    ).toBeNull();
  });
});
