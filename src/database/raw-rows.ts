import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/*
 * Rows written and read straight from an entity's metadata, for the few statements an exam
 * runs on every start and submit. Each value goes through the driver's own conversion
 * (dates, JSON, booleans, transformers) exactly as TypeORM's repositories convert it, but
 * without the query builder's per-query parameter rewriting and result mapping, which cost
 * more than the round trip itself. Column names are the properties' names (the default
 * naming), unquoted: none of them is reserved on either engine.
 */

/**
 * One multi-row `INSERT` of complete rows whose ids are set; nothing is read back. Every
 * column must be set (undefined is refused, so a forgotten field is an error, not a NULL).
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

/**
 * Runs a `SELECT` of an entity's table and returns its rows as entities; columns the
 * statement does not select are left unset.
 */
export async function readRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const raw = (await manager.query(sql, params)) as Record<string, unknown>[];
  return raw.map((row) => {
    const out = metadata.create() as T;
    for (const column of metadata.columns)
      if (column.databaseName in row)
        (out as Record<string, unknown>)[column.propertyName] = driver.prepareHydratedValue(
          row[column.databaseName],
          column,
        );
    return out;
  });
}

/**
 * `UPDATE <table> SET … WHERE <where>`: `values` by property, converted for the column;
 * `where` with `?` placeholders for `whereParams`. Runs on the manager's query runner (inside
 * its transaction, if any). @returns the number of rows changed
 */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: Partial<T>,
  where: string,
  whereParams: unknown[],
): Promise<number> {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const set: string[] = [];
  const params: unknown[] = [];
  for (const [property, value] of Object.entries(values)) {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`updateRows: ${metadata.name}.${property} is not a column`);
    set.push(`${driver.escape(column.databaseName)} = ?`);
    params.push(driver.preparePersistentValue(value, column));
  }
  const sql = `UPDATE ${driver.escape(metadata.tableName)} SET ${set.join(', ')} WHERE ${where}`;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    return (await runner.query(sql, [...params, ...whereParams], true)).affected ?? 0;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
