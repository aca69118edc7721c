import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import type { ExportColumn } from '../http/table-export.js';

/** A table of a section, written as a CSV beside its JSON (ADR 0030's rules). */
export interface PersonalDataTable<T = never> {
  /** The CSV's file name without extension, in Indonesian: `riwayat-jp`. */
  file: string;
  rows: readonly T[];
  columns: readonly ExportColumn<T>[];
}

/** One part of a person's export: a JSON file, and CSVs where it is tabular. */
export interface PersonalDataPart {
  /** The JSON's file name without extension, in Indonesian: `pelatihan`. */
  file: string;
  /** One line for README.txt, in Indonesian: what the file holds. */
  describes: string;
  json: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each table has its own row type
  tables?: PersonalDataTable<any>[];
}

/**
 * What a domain gives of a person's own data (UU PDP 27/2022, ADR 0038). Each domain
 * reads its own tables and registers its section at start; the export only collects them.
 * A section answers only for `person` themself, as the person would see it in the app.
 */
export interface PersonalDataSection {
  /** The order in the ZIP and README. */
  order: number;
  collect(person: AuthUser): Promise<PersonalDataPart[]>;
}

/** The sections registered by the domains (the layers below them import no domain). */
@Injectable()
export class PersonalDataSections {
  private readonly sections: PersonalDataSection[] = [];

  register(section: PersonalDataSection): void {
    this.sections.push(section);
  }

  all(): readonly PersonalDataSection[] {
    return [...this.sections].sort((a, b) => a.order - b.order);
  }
}

/** A typed table (keeps each column's row type checked where the table is made). */
export const table = <T>(
  file: string,
  rows: readonly T[],
  columns: readonly ExportColumn<T>[],
): PersonalDataTable<T> => ({ file, rows, columns });
