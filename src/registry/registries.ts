import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EligibilityRule, QuestionType } from './extension-points.js';
import { KeyedRegistry } from './keyed-registry.js';

@Injectable()
export class QuestionTypeRegistry extends KeyedRegistry<QuestionType> {
  constructor() {
    super('Question type');
  }
}

@Injectable()
export class EligibilityRuleRegistry extends KeyedRegistry<EligibilityRule> {
  constructor() {
    super('Eligibility rule');
  }
}

interface TemplateSource {
  key: string;
  root: string;
}

/**
 * Finds a template file by name. A sector's own folder is searched first for names it
 * owns (`health:certificates/default`), then the core's; the core's folder is registered
 * the same way as a sector's.
 */
@Injectable()
export class TemplateRegistry extends KeyedRegistry<TemplateSource> {
  constructor() {
    super('Template folder');
  }

  /** Absolute path of `name` (without `.hbs`), or undefined when no folder has it. */
  resolve(name: string, sectorKey?: string): string | undefined {
    const order = [sectorKey, 'core'].filter((k): k is string => !!k);
    for (const key of order) {
      const source = this.get(key);
      const file = source && join(source.root, `${name}.hbs`);
      if (file && existsSync(file)) return file;
    }
    return undefined;
  }
}
