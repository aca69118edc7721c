import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EligibilityRuleRegistry, QuestionTypeRegistry, TemplateRegistry } from './registries.js';
import { LabelHelpers } from './label-helpers.js';
import type { LoadedSector } from './sector-loader.js';
import { SectorState } from './sector-state.entity.js';
import { SectorsController } from './sectors.controller.js';
import { LOADED_SECTORS, SectorsService } from './sectors.service.js';
import { templatesRoot } from '../config/paths.js';

/** The sector registry and the extension registries that sectors and the core share. */
@Global()
@Module({})
export class RegistryModule implements OnModuleInit {
  constructor(private readonly templates: TemplateRegistry) {}

  static forRoot(sectors: LoadedSector[]): DynamicModule {
    return {
      module: RegistryModule,
      imports: [TypeOrmModule.forFeature([SectorState])],
      controllers: [SectorsController],
      providers: [
        { provide: LOADED_SECTORS, useValue: sectors },
        SectorsService,
        QuestionTypeRegistry,
        EligibilityRuleRegistry,
        TemplateRegistry,
        LabelHelpers,
      ],
      exports: [
        LOADED_SECTORS,
        SectorsService,
        QuestionTypeRegistry,
        EligibilityRuleRegistry,
        TemplateRegistry,
      ],
    };
  }

  onModuleInit(): void {
    // The core's own templates go through the same registry as a sector's.
    this.templates.register({ key: 'core', root: templatesRoot }, 'the core');
  }
}
