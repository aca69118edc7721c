import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { Clock } from '../platform/clock.js';
import { wallClock } from '../platform/i18n/local-format.js';
import type { ExportedFile } from '../platform/http/table-export.js';
import { sectorLabel } from '../registry/label-helpers.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { documentTable, pdfFile, workbookFile, type DocumentColumn } from './report-documents.js';
import { num, percent } from './report-queries.js';

/** The yearly JP every ASN should reach (PP 17/2020, ADR 0040). */
export const JP_PER_ASN = 20;

const blank = (value: unknown) => (value === '' || value === undefined ? undefined : value);

/** `?year=&format=` of the development reports: JSON (default), XLSX or PDF. */
export class DevelopmentReportQuery {
  @ApiPropertyOptional({ example: 2026, description: 'Calendar year (default this year)' })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => {
    const value = blank(obj.year);
    return value === undefined ? undefined : Number(value);
  })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: ['json', 'xlsx', 'pdf'] })
  @IsOptional()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => blank(obj.format))
  @IsIn(['json', 'xlsx', 'pdf'])
  format?: 'json' | 'xlsx' | 'pdf';
}

export interface PlanUnitRow {
  id: string;
  code: string;
  name: string;
  parentCode: string | null;
  asn: number;
  agreedPlans: number;
  plannedJp: number;
  estimatedCostIdr: number;
  ceilingIdr: number | null;
  overCeiling: boolean;
  overByIdr: number;
}

export interface PlanDimensionRow {
  key: string;
  name: string;
  asn: number;
  jp: number;
  estimatedCostIdr: number;
}

export interface DevelopmentPlanReport {
  year: number;
  target: { jpPerAsn: number; asn: number; plannedJp: number; coveragePercent: number };
  counts: { draft: number; submitted: number; agreed: number; returned: number; none: number };
  byOrgUnit: PlanUnitRow[];
  byTopUnit: PlanUnitRow[];
  bySector: PlanDimensionRow[];
  byCompetency: PlanDimensionRow[];
  byMode: PlanDimensionRow[];
}

export const MODE_NAMES: Record<string, string> = {
  classical: 'Klasikal',
  'e-learning': 'E-learning',
  blended: 'Blended (campuran)',
  'on-the-job': 'Pelatihan di tempat kerja',
  '-': 'Tidak ditentukan',
};

/**
 * The rows of each ASN's agreed plan of the year that are not dropped: per plan, its JP and
 * estimated cost. A plan whose items were all dropped still counts as an agreed plan.
 */
const AGREED_TOTALS = `SELECT p.id AS planId, p.userId AS userId,
    COALESCE(SUM(i.jp), 0) AS jp, COALESCE(SUM(i.costIdr), 0) AS cost
  FROM development_plans p
  LEFT JOIN development_plan_items i ON i.planId = p.id AND i.status <> 'dropped'
  WHERE p.year = :year AND p.status = 'agreed'
  GROUP BY p.id, p.userId`;

/** Active ASN: whose plans the agency plan counts. */
// A plan counts whoever owns it: a coordinator or an admin of BKPSDM is an ASN with an
// extra duty, and may have one. The population is the ASN accounts and every plan owner.
const ACTIVE_ASN = `u.active = :yes`;

/** Runs SQL with `:named` parameters on either engine (the driver turns Dates and booleans). */
export async function rawRows(
  db: EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const [query, values] = db.connection.driver.escapeQueryWithParameters(sql, params);
  return (await db.query(query, values)) as Record<string, unknown>[];
}

/**
 * The agency's development plan (ADR 0040): agreed plans summed per org unit (and rolled up
 * to the top of the tree), sector, competency and mode, against the budget ceilings and the
 * 20 JP target. Every number is one grouped query, whatever the number of ASN.
 */
@Injectable()
export class DevelopmentPlanReports {
  constructor(
    private readonly replicas: ReplicaReads,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
  ) {}

  /** The year asked for, else this year in the city's time zone. */
  yearOf(query: { year?: number }): number {
    return query.year ?? Number(wallClock(this.clock.now(), this.config.timeZone).slice(0, 4));
  }

  async report(year: number): Promise<DevelopmentPlanReport> {
    return this.replicas.run(async (db) => {
      const params = { year, yes: true };
      const dimension = (column: string) =>
        rawRows(
          db,
          `SELECT COALESCE(i.${column}, '-') AS k, COUNT(DISTINCT p.userId) AS asn,
              SUM(i.jp) AS jp, SUM(i.costIdr) AS cost
            FROM development_plan_items i
            JOIN development_plans p ON p.id = i.planId
            JOIN users u ON u.id = p.userId
            WHERE p.year = :year AND p.status = 'agreed' AND i.status <> 'dropped' AND ${ACTIVE_ASN}
            GROUP BY COALESCE(i.${column}, '-')`,
          params,
        );
      const [perUnit, counts, units, budgets, sectors, competencies, modes] = await Promise.all([
        rawRows(
          db,
          `SELECT u.orgUnitId AS unitId, COUNT(*) AS asn, COUNT(pt.planId) AS plans,
              COALESCE(SUM(pt.jp), 0) AS jp, COALESCE(SUM(pt.cost), 0) AS cost,
              COALESCE(SUM(CASE WHEN pt.jp > ${JP_PER_ASN} THEN ${JP_PER_ASN} ELSE pt.jp END), 0) AS covered
            FROM users u LEFT JOIN (${AGREED_TOTALS}) pt ON pt.userId = u.id
            WHERE ${ACTIVE_ASN} AND (u.role = 'asn' OR pt.planId IS NOT NULL)
            GROUP BY u.orgUnitId`,
          params,
        ),
        rawRows(
          db,
          `SELECT p.status AS status, COUNT(*) AS n
            FROM development_plans p JOIN users u ON u.id = p.userId
            WHERE p.year = :year AND ${ACTIVE_ASN}
            GROUP BY p.status`,
          params,
        ),
        rawRows(db, `SELECT id, code, name, parentId FROM org_units`, {}),
        rawRows(
          db,
          `SELECT orgUnitId, ceilingIdr FROM org_unit_budgets WHERE year = :year`,
          params,
        ),
        dimension('sector'),
        dimension('competencyCode'),
        dimension('deliveryMode'),
      ]);
      const competencyCodes = competencies.map((r) => String(r.k)).filter((k) => k !== '-');
      const titles = competencyCodes.length
        ? await rawRows(db, `SELECT code, title FROM competencies WHERE code IN (:...codes)`, {
            codes: competencyCodes,
          })
        : [];
      const competencyNames = new Map(titles.map((r) => [String(r.code), String(r.title)]));

      const statusCount = new Map(counts.map((r) => [String(r.status), num(r.n)]));
      const asn = perUnit.reduce((sum, r) => sum + num(r.asn), 0);
      const plannedJp = round2(perUnit.reduce((sum, r) => sum + num(r.jp), 0));
      const covered = perUnit.reduce((sum, r) => sum + num(r.covered), 0);
      const withPlan = [...statusCount.values()].reduce((a, b) => a + b, 0);

      const tree = unitTree(units, budgets);
      const unitRows = tree.units.map((u) => {
        const agg = perUnit.find((r) => r.unitId === u.id);
        return unitRow(u, agg, tree.ceiling.get(u.id) ?? null);
      });
      const dim = (rows: Record<string, unknown>[], name: (key: string) => string) =>
        rows
          .map((r) => ({
            key: String(r.k),
            name: name(String(r.k)),
            asn: num(r.asn),
            jp: round2(num(r.jp)),
            estimatedCostIdr: num(r.cost),
          }))
          .sort((a, b) => b.estimatedCostIdr - a.estimatedCostIdr || a.key.localeCompare(b.key));
      return {
        year,
        target: {
          jpPerAsn: JP_PER_ASN,
          asn,
          plannedJp,
          coveragePercent: percent(covered, asn * JP_PER_ASN),
        },
        counts: {
          draft: statusCount.get('draft') ?? 0,
          submitted: statusCount.get('submitted') ?? 0,
          agreed: statusCount.get('agreed') ?? 0,
          returned: statusCount.get('returned') ?? 0,
          none: Math.max(0, asn - withPlan),
        },
        byOrgUnit: unitRows,
        byTopUnit: rollUp(tree, unitRows),
        bySector: dim(sectors, (k) =>
          k === '-' ? MODE_NAMES['-'] : sectorLabel(this.loaded, k, 'id'),
        ),
        byCompetency: dim(
          competencies,
          (k) => competencyNames.get(k) ?? (k === '-' ? 'Tanpa kompetensi' : k),
        ),
        byMode: dim(modes, (k) => MODE_NAMES[k] ?? k),
      };
    });
  }

  /** The report as an XLSX workbook (a sheet per table) or a tagged PDF. */
  async file(report: DevelopmentPlanReport, format: 'xlsx' | 'pdf'): Promise<ExportedFile> {
    const name = `rencana-pengembangan-${report.year}`;
    const units: DocumentColumn<PlanUnitRow>[] = [
      { header: 'Kode Unit Kerja', kind: 'text', value: (r) => r.code },
      { header: 'Unit Kerja', kind: 'text', value: (r) => r.name, width: 2 },
      { header: 'Unit Induk', kind: 'text', value: (r) => r.parentCode },
      { header: 'Jumlah ASN', kind: 'number', value: (r) => r.asn },
      { header: 'Rencana Disetujui', kind: 'number', value: (r) => r.agreedPlans },
      { header: 'JP Direncanakan', kind: 'number', value: (r) => r.plannedJp },
      { header: 'Perkiraan Biaya (Rp)', kind: 'number', value: (r) => r.estimatedCostIdr },
      { header: 'Pagu (Rp)', kind: 'number', value: (r) => r.ceilingIdr },
      {
        header: 'Melebihi Pagu',
        kind: 'text',
        value: (r) => (r.overCeiling ? 'Ya' : r.ceilingIdr === null ? '–' : 'Tidak'),
      },
      { header: 'Kelebihan (Rp)', kind: 'number', value: (r) => r.overByIdr },
    ];
    const dimension = (header: string): DocumentColumn<PlanDimensionRow>[] => [
      { header: `Kode ${header}`, kind: 'text', value: (r) => r.key },
      { header, kind: 'text', value: (r) => r.name, width: 2 },
      { header: 'Jumlah ASN', kind: 'number', value: (r) => r.asn },
      { header: 'JP', kind: 'number', value: (r) => r.jp },
      { header: 'Perkiraan Biaya (Rp)', kind: 'number', value: (r) => r.estimatedCostIdr },
    ];
    const t = report.target;
    const c = report.counts;
    const summary = [
      { label: 'Tahun', value: report.year },
      { label: 'Jumlah ASN aktif', value: t.asn },
      { label: `Target JP per ASN`, value: t.jpPerAsn },
      { label: 'JP direncanakan (rencana disetujui)', value: t.plannedJp },
      { label: 'Cakupan target 20 JP (%)', value: t.coveragePercent },
      { label: 'Rencana disetujui', value: c.agreed },
      { label: 'Rencana diajukan', value: c.submitted },
      { label: 'Rencana dikembalikan', value: c.returned },
      { label: 'Rencana draf', value: c.draft },
      { label: 'ASN tanpa rencana', value: c.none },
    ];
    const tables = [
      documentTable({
        name: 'Ringkasan',
        columns: [
          { header: 'Uraian', kind: 'text', value: (r) => r.label, width: 3 },
          { header: 'Nilai', kind: 'number', value: (r) => r.value },
        ],
        rows: summary,
      }),
      documentTable({ name: 'Per Unit Kerja', columns: units, rows: report.byOrgUnit }),
      documentTable({ name: 'Per Unit Induk', columns: units, rows: report.byTopUnit }),
      documentTable({ name: 'Per Sektor', columns: dimension('Sektor'), rows: report.bySector }),
      documentTable({
        name: 'Per Kompetensi',
        columns: dimension('Kompetensi'),
        rows: report.byCompetency,
      }),
      documentTable({ name: 'Per Moda', columns: dimension('Moda'), rows: report.byMode }),
    ];
    if (format === 'xlsx') return workbookFile(name, tables);
    return pdfFile(
      name,
      this.config,
      {
        title: `Rencana Pengembangan Kompetensi Instansi Tahun ${report.year}`,
        lines: [
          this.config.authority.agency,
          'Hanya rencana yang disetujui atasan yang dijumlahkan; butir yang dibatalkan tidak dihitung.',
        ],
      },
      tables,
    );
  }
}

interface TreeUnit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  parentCode: string | null;
  topId: string;
}

/** The units with their parent's code and the top of their branch (a cycle stops the climb). */
function unitTree(units: Record<string, unknown>[], budgets: Record<string, unknown>[]) {
  const byId = new Map(
    units.map((u) => [
      String(u.id),
      {
        id: String(u.id),
        code: String(u.code),
        name: String(u.name),
        parentId: u.parentId ? String(u.parentId) : null,
      },
    ]),
  );
  const topOf = (id: string) => {
    const seen = new Set<string>();
    let current = byId.get(id)!;
    while (current.parentId && byId.has(current.parentId) && !seen.has(current.parentId)) {
      seen.add(current.id);
      current = byId.get(current.parentId)!;
    }
    return current.id;
  };
  const list: TreeUnit[] = [...byId.values()]
    .map((u) => ({
      ...u,
      parentCode: u.parentId ? (byId.get(u.parentId)?.code ?? null) : null,
      topId: topOf(u.id),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const ceiling = new Map(budgets.map((b) => [String(b.orgUnitId), num(b.ceilingIdr)]));
  return { units: list, ceiling };
}

function unitRow(
  unit: { id: string; code: string; name: string; parentCode: string | null },
  agg: Record<string, unknown> | undefined,
  ceilingIdr: number | null,
): PlanUnitRow {
  const estimatedCostIdr = num(agg?.cost);
  const overByIdr = ceilingIdr === null ? 0 : Math.max(0, estimatedCostIdr - ceilingIdr);
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    parentCode: unit.parentCode,
    asn: num(agg?.asn),
    agreedPlans: num(agg?.plans),
    plannedJp: round2(num(agg?.jp)),
    estimatedCostIdr,
    ceilingIdr,
    overCeiling: overByIdr > 0,
    overByIdr,
  };
}

/**
 * Each unit's numbers added to the top of its branch. The ceiling of a top unit is its own
 * when set (a dinas's budget covers its bidang and puskesmas), else the sum of the ceilings
 * set below it, else none.
 */
function rollUp(tree: ReturnType<typeof unitTree>, rows: PlanUnitRow[]): PlanUnitRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const tops = tree.units.filter((u) => u.topId === u.id);
  return tops.map((top) => {
    const branch = tree.units.filter((u) => u.topId === top.id).map((u) => byId.get(u.id)!);
    const below = branch.filter((r) => r.id !== top.id && r.ceilingIdr !== null);
    const own = tree.ceiling.get(top.id);
    const ceilingIdr =
      own !== undefined ? own : below.length ? below.reduce((s, r) => s + r.ceilingIdr!, 0) : null;
    const sum = (pick: (r: PlanUnitRow) => number) => branch.reduce((s, r) => s + pick(r), 0);
    return unitRow(
      { id: top.id, code: top.code, name: top.name, parentCode: null },
      {
        asn: sum((r) => r.asn),
        plans: sum((r) => r.agreedPlans),
        jp: sum((r) => r.plannedJp),
        cost: sum((r) => r.estimatedCostIdr),
      },
      ceilingIdr,
    );
  });
}

const round2 = (value: number) => Math.round(value * 100) / 100;
