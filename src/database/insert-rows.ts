import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * One multi-row `INSERT` of complete rows whose ids are set, written straight from the
 * entity's metadata: each value goes through the driver's own conversion (dates, JSON,
 * booleans, transformers) as a save would, without the query builder's per-query parameter
 * rewriting or TypeORM re-selecting generated columns. Used on an exam start's hot path;
 * every column of the entity must be set (undefined is refused, so a forgotten field is an
 * error, not a silent NULL).
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
): Promise<void> {
  if (!rows.length) return;
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => c.isInsert && !c.isVirtual);
  const params: unknown[] = [];
  for (const row of rows)
    for (const column of columns) {
      const value: unknown = row[column.propertyName];
      if (value === undefined)
        throw new Error(`insertRows: ${metadata.name}.${column.propertyName} is not set`);
      params.push(driver.preparePersistentValue(value, column));
    }
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sql =
    `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES ` +
    rows.map(() => tuple).join(', ');
  await manager.query(sql, params);
}
