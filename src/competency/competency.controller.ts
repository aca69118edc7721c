import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { exportFormat, sendFile, type CsvDelimiter } from '../platform/http/table-export.js';
import { ApiDelimiterQuery, CsvDelimiterOf } from '../platform/http/csv-delimiter.js';
import { TableExports } from '../platform/http/table-exports.service.js';
import { GapReportService, type GapDimension } from './gap-report.service.js';
import { ApiUpload, readUpload } from '../platform/http/upload.js';
import { ApiFileResponse, CSV, XLSX } from '../platform/http/api-file.decorator.js';
import { UuidParam } from '../platform/http/uuid-param.decorator.js';
import {
  AssignResponse,
  CompetencyResponse,
  EvidenceResponse,
  GapGroupResponse,
  GapReportResponse,
  StandardsImportResponse,
  PositionResponse,
  RecommendationResponse,
} from './competency.response.js';
import { CompetenciesService } from './competencies.service.js';
import {
  AssignPositionDto,
  CompetencyQuery,
  CopyStandardDto,
  CreateCompetencyDto,
  CreatePositionDto,
  RecordEvidenceDto,
  SetStandardDto,
  UpdatePositionDto,
} from './competency.dto.js';
import { EvidenceService } from './evidence.service.js';
import { GapsService } from './gaps.service.js';
import { PositionsService } from './positions.service.js';

@ApiTags('competencies')
@ApiBearerAuth()
@Controller('api/v1/competencies')
export class CompetenciesController {
  constructor(private readonly competencies: CompetenciesService) {}

  /** Competency units, filtered by sector and type. */
  @Allow('competency.read')
  @Get()
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: CompetencyQuery,
  ): Promise<CompetencyResponse[]> {
    return this.competencies.list(user, query);
  }

  /** Create a competency unit. */
  @Allow('competency.manage')
  @Post()
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateCompetencyDto,
  ): Promise<CompetencyResponse> {
    return this.competencies.create(user, body);
  }

  /** One competency unit with its level descriptors. */
  @Allow('competency.read')
  @Get(':code')
  get(@Param('code') code: string): Promise<CompetencyResponse> {
    return this.competencies.get(code);
  }

  /** Change a competency unit. */
  @Allow('competency.manage')
  @Put(':code')
  update(
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
    @Body() body: CreateCompetencyDto,
  ): Promise<CompetencyResponse> {
    return this.competencies.update(user, code, body);
  }
}

/** Positions are found by id or by code (`requireByCode`): no UUID check. */
const POSITION_ID = { name: 'id', description: 'The position’s id or its code' };

@ApiTags('positions')
@ApiBearerAuth()
@Controller('api/v1/positions')
export class PositionsController {
  constructor(private readonly positions: PositionsService) {}

  /** The positions (jabatan). */
  @Allow('position.read')
  @Get()
  list(@CurrentUser() user: AuthUser): Promise<PositionResponse[]> {
    return this.positions.list(user);
  }

  /** Create a position. */
  @Allow('position.manage')
  @Post()
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreatePositionDto,
  ): Promise<PositionResponse> {
    return this.positions.create(user, body);
  }

  /** Export position standards as CSV or XLSX. */
  @Allow('position.read')
  @Get('standards/export')
  @ApiFileResponse([CSV, XLSX])
  @ApiQuery({ name: 'format', enum: ['csv', 'xlsx'], required: false })
  @ApiQuery({ name: 'position', required: false, description: 'Only this position (code or id)' })
  @ApiDelimiterQuery()
  async export(
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
    @Query('format') format?: string,
    @Query('position') position?: string,
  ): Promise<void> {
    return sendFile(
      reply,
      await this.positions.exportStandards(user, exportFormat(format), delimiter, position),
    );
  }

  /** Import position standards from CSV or a file. */
  @Allow('position.manage')
  @Post('standards/import')
  @HttpCode(200)
  @ApiUpload('text/csv', 'multipart/form-data')
  async import(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
  ): Promise<StandardsImportResponse> {
    return this.positions.importStandards(user, await readUpload(request));
  }

  /** One position with its standard. */
  @Allow('position.read')
  @Get(':id')
  @ApiParam(POSITION_ID)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PositionResponse> {
    return this.positions.get(user, id);
  }

  /** Change a position. */
  @Allow('position.manage')
  @Patch(':id')
  @ApiParam(POSITION_ID)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: UpdatePositionDto,
  ): Promise<PositionResponse> {
    return this.positions.update(user, id, body);
  }

  /** Delete a position no one holds. */
  @Allow('position.manage')
  @Delete(':id')
  @ApiParam(POSITION_ID)
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.positions.remove(user, id);
  }

  /** Replace a position's competency standard. */
  @Allow('position.manage')
  @Put(':id/standard')
  @ApiParam(POSITION_ID)
  setStandard(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: SetStandardDto,
  ): Promise<PositionResponse> {
    return this.positions.setStandardFromRequest(user, id, body);
  }

  /** Copy another position's standard onto this one. */
  @Allow('position.manage')
  @Post(':id/standard/copy')
  @ApiParam(POSITION_ID)
  @HttpCode(200)
  copy(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: CopyStandardDto,
  ): Promise<PositionResponse> {
    return this.positions.copyStandard(user, id, body.fromPositionCode);
  }

  /** Assign users to a position. */
  @Allow('position.manage')
  @Post(':id/assignments')
  @ApiParam(POSITION_ID)
  @HttpCode(200)
  assign(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: AssignPositionDto,
  ): Promise<AssignResponse> {
    return this.positions.assign(user, id, body.users);
  }
}

@ApiExtraModels(RecommendationResponse)
@ApiTags('gaps and evidence')
@ApiBearerAuth()
@Controller('api/v1')
export class GapsController {
  constructor(
    private readonly gaps: GapsService,
    private readonly evidence: EvidenceService,
  ) {}

  /** The caller's gaps against their position standard, with recommended courses. */
  @Allow('self.read')
  @Get('me/gaps')
  myGaps(@CurrentUser() user: AuthUser): Promise<GapReportResponse> {
    return this.gaps.forUser(user, user.id);
  }

  /** The caller's evidence. */
  @Allow('self.read')
  @Get('me/evidence')
  myEvidence(@CurrentUser() user: AuthUser): Promise<EvidenceResponse[]> {
    return this.evidence.list(user, user.id);
  }

  /** A user's gaps against their position standard. */
  @Allow('gaps.read-others')
  @Get('users/:id/gaps')
  userGaps(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<GapReportResponse> {
    return this.gaps.forUser(user, id);
  }

  /** A user's evidence. */
  @Allow('evidence.manage')
  @Get('users/:id/evidence')
  userEvidence(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<EvidenceResponse[]> {
    return this.evidence.list(user, id);
  }

  /** Record evidence for a user by hand. */
  @Allow('evidence.manage')
  @Post('users/:id/evidence')
  record(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: RecordEvidenceDto,
  ): Promise<EvidenceResponse> {
    return this.evidence.recordManual(user, id, body);
  }

  /** Attach a file to a piece of evidence. */
  @Allow('evidence.manage')
  @Post('evidence/:id/attachment')
  @HttpCode(200)
  @ApiUpload('multipart/form-data', 'application/octet-stream')
  async attach(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<EvidenceResponse> {
    return this.evidence.attach(user, id, await readUpload(request));
  }

  /** Download a piece of evidence's file. */
  @Allow('self.read')
  @Get('evidence/:id/attachment')
  @ApiFileResponse(['application/octet-stream'], { description: 'The evidence’s attachment' })
  async download(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.evidence.attachment(user, id);
    return sendFile(reply, {
      body: file.content,
      contentType: file.contentType,
      filename: file.filename,
    });
  }
}

const DIMENSIONS: GapDimension[] = ['org-unit', 'position', 'sector'];
const DIMENSION_HEADER: Record<GapDimension, string> = {
  'org-unit': 'Unit Kerja',
  position: 'Jabatan',
  sector: 'Sektor',
};
const reportError = errorFamily({ 'report.dimension': 'invalid' });

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class GapReportsController {
  constructor(
    private readonly reports: GapReportService,
    private readonly exports: TableExports,
  ) {}

  /** Gaps report by org unit, position or sector (JSON, CSV or XLSX). */
  @Allow('report.read')
  @Get('gaps')
  @ApiFileResponse([CSV, XLSX], { json: GapGroupResponse, array: true })
  @ApiQuery({ name: 'by', enum: DIMENSIONS, required: false })
  @ApiQuery({ name: 'format', enum: ['json', 'csv', 'xlsx'], required: false })
  @ApiDelimiterQuery()
  async gaps(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CsvDelimiterOf() delimiter: CsvDelimiter,
    @Query('by') by = 'org-unit',
    @Query('format') format = 'json',
  ): Promise<GapGroupResponse[] | undefined> {
    if (!DIMENSIONS.includes(by as GapDimension))
      throw reportError('report.dimension', {
        field: 'by',
        params: { options: DIMENSIONS.join(', ') },
      });
    const rows = await this.reports.byDimension(user, by as GapDimension);
    if (format === 'json') return rows;
    const file = await this.exports.write(
      `kesenjangan-per-${by}`,
      rows,
      [
        {
          header: `Kode ${DIMENSION_HEADER[by as GapDimension]}`,
          kind: 'text',
          value: (r) => r.key,
        },
        { header: DIMENSION_HEADER[by as GapDimension], kind: 'text', value: (r) => r.name },
        { header: 'Jumlah ASN', kind: 'number', value: (r) => r.asn },
        { header: 'Jumlah Persyaratan', kind: 'number', value: (r) => r.requirements },
        { header: 'Terpenuhi', kind: 'number', value: (r) => r.met },
        { header: 'Persen Terpenuhi', kind: 'number', value: (r) => r.percentMet },
        { header: 'Rata-rata Kesenjangan', kind: 'number', value: (r) => r.averageGap },
      ],
      exportFormat(format),
      delimiter,
    );
    sendFile(reply, file);
  }
}
