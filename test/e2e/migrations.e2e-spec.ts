import { bootTestApp, createTestDatabase, engine } from '../helpers/test-app.js';

describe(`migrations as a separate step (${engine})`, () => {
  it('refuses to start on an unmigrated database with MIGRATIONS_RUN=false, and starts once migrated', async () => {
    const database = await createTestDatabase();
    try {
      await expect(bootTestApp({ database, env: { MIGRATIONS_RUN: 'false' } })).rejects.toThrow(
        /migrations that are not applied yet.*npm run migration:run/,
      );
      // A run that migrates (the separate step), then an instance that does not.
      await (await bootTestApp({ database })).close();
      const instance = await bootTestApp({ database, env: { MIGRATIONS_RUN: 'false' } });
      await instance.http.get('/health').expect(200);
      await instance.close();
    } finally {
      await database.drop();
    }
  });
});
