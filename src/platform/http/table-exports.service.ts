import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import {
  exportTable,
  type CsvDelimiter,
  type ExportColumn,
  type ExportedFile,
  type ExportFormat,
} from './table-export.js';

/** Writes exports with the city's time zone (`TIME_ZONE`) for their dates. */
@Injectable()
export class TableExports {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  write<T>(
    name: string,
    rows: readonly T[],
    columns: readonly ExportColumn<T>[],
    format: ExportFormat,
    delimiter: CsvDelimiter,
  ): Promise<ExportedFile> {
    return exportTable(name, rows, columns, {
      format,
      delimiter,
      timeZone: this.config.timeZone,
    });
  }
}
