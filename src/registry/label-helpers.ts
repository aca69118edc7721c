import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import handlebars from 'handlebars';
import type { Language } from '../platform/http/lang.decorator.js';
import { valueHelper } from '../platform/web/value-helper.js';
import { QuestionTypeRegistry } from './registries.js';
import type { LoadedSector } from './sector-loader.js';
import { LOADED_SECTORS } from './sectors.service.js';

/** The name a reader sees for a sector key, in their language; the key when unknown. */
export function sectorLabel(sectors: readonly LoadedSector[], key: string, lang: Language): string {
  return sectors.find((s) => s.manifest.key === key)?.manifest.name[lang] ?? key;
}

/**
 * Template helpers naming what the registry holds: `{{sectorName sector}}` ("Kesehatan",
 * never `health`), `{{sectorNames sectors}}` (a list) and `{{typeName type}}` ("Pilihan ganda", never `single_choice`). Keys
 * stay keys in forms, URLs and JSON; these are for the text a person reads.
 */
@Injectable()
export class LabelHelpers implements OnModuleInit {
  constructor(
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly types: QuestionTypeRegistry,
  ) {}

  onModuleInit(): void {
    const langOf = (options: handlebars.HelperOptions): Language =>
      options.data?.root?.lang ?? 'id';
    // Written bare (`{{sectorName}}`, a field of the certificate template) each reads the field.
    handlebars.registerHelper(
      'sectorName',
      valueHelper(([key], options) =>
        typeof key === 'string' ? sectorLabel(this.sectors, key, langOf(options)) : '',
      ),
    );
    handlebars.registerHelper(
      'sectorNames',
      valueHelper(([keys], options) =>
        Array.isArray(keys)
          ? keys.map((k) => sectorLabel(this.sectors, String(k), langOf(options))).join(', ')
          : '',
      ),
    );
    handlebars.registerHelper(
      'typeName',
      valueHelper(([type], options) =>
        typeof type === 'string' ? (this.types.get(type)?.label[langOf(options)] ?? type) : '',
      ),
    );
  }
}
