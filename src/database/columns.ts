import { Column, ColumnOptions, PrimaryColumn, TableForeignKey, ValueTransformer } from 'typeorm';

/*
 * Column helpers whose meaning is the same on SQLite and MySQL/MariaDB.
 * Migrations use the matching `*Spec` shapes so entities and schema agree on both engines.
 */

/**
 * A string UUID primary key, VARCHAR(36) on both engines, filled on insert by
 * `UuidSubscriber` (TypeORM's own uuid generation maps to a native type on MariaDB).
 */
export function IdColumn(): PropertyDecorator {
  return PrimaryColumn({ type: 'varchar', length: 36, comment: undefined });
}

/** UTC date-time with milliseconds: DATETIME(3) on MySQL, ISO text on SQLite. */
export function DateTimeColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

const decimalToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  // mysql2 returns DECIMAL as a string, better-sqlite3 as a number.
  from: (value: string | number | null) =>
    value === null || value === undefined ? null : Number(value),
};

export function DecimalColumn(
  precision: number,
  scale: number,
  options: ColumnOptions = {},
): PropertyDecorator {
  return Column({ type: 'decimal', precision, scale, transformer: decimalToNumber, ...options });
}

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** JSON stored as text on both engines (TypeORM serialises it), so raw reads look the same. */
export function JsonColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'simple-json', ...options });
}

/** Migration column shapes matching the helpers above. */
export const columnSpec = {
  id: (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true }),
  ref: (name: string, isNullable = false) => ({ name, type: 'varchar', length: '36', isNullable }),
  string: (name: string, length: number, isNullable = false) => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable,
  }),
  text: (name: string, isNullable = false) => ({ name, type: 'text', isNullable }),
  json: (name: string, isNullable = false) => ({ name, type: 'text', isNullable }),
  // 'integer' is what SQLite reports back for INT, and MySQL reads it as INT.
  int: (name: string, isNullable = false) => ({ name, type: 'integer', isNullable }),
  bool: (name: string, isNullable = false) => ({ name, type: 'boolean', isNullable }),
  dateTime: (name: string, isNullable = false) => ({
    name,
    type: 'datetime',
    precision: 3,
    isNullable,
  }),
  decimal: (name: string, precision: number, scale: number, isNullable = false) => ({
    name,
    type: 'decimal',
    precision,
    scale,
    isNullable,
  }),
  /** A foreign key to `table.id`; ids never change, so updates are restricted. */
  foreignKey: (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL') =>
    new TableForeignKey({
      columnNames: [column],
      referencedTableName: table,
      referencedColumnNames: ['id'],
      onDelete,
      onUpdate: 'RESTRICT',
    }),
};
