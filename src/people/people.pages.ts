import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser } from '../platform/auth/auth.decorators.js';
import { DomainError, messageOf } from '../platform/http/domain-error.js';
import type { MessageKey } from '../platform/i18n/i18n.js';
import { readUpload } from '../platform/http/upload.js';
import { languageOf, type Language } from '../platform/http/lang.decorator.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import { SectorsService } from '../registry/sectors.service.js';
import { ROLES, type Role } from '../identity/user.entity.js';
import { PositionsService } from '../competency/positions.service.js';
import { UserImportService } from './import/user-import.service.js';
import { descendantIds, orgUnitError, OrgUnitsService, treeOrder } from './org-units.service.js';
import { ReportingLine } from './reporting-line.service.js';
import { UsersService } from './users.service.js';

type Form = Record<string, string | undefined> & { sectors?: string | string[] };

const PAGE_SIZE = 25;
/** Ticked boxes arrive as one value or a list; a script may still send "a, b". */
const sectorList = (value: string | string[] | undefined) =>
  [value ?? []]
    .flat()
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** Admin pages for users, org units and the bulk import. */
@ApiExcludeController()
@Controller('admin')
export class PeoplePages {
  constructor(
    private readonly users: UsersService,
    private readonly units: OrgUnitsService,
    private readonly imports: UserImportService,
    private readonly pages: PageRenderer,
    private readonly sectors: SectorsService,
    private readonly positions: PositionsService,
    private readonly reporting: ReportingLine,
  ) {}

  /**
   * The org units as a tree (each under its parent, indented), each with the parents it may
   * take: any unit but itself and those below it.
   */
  private async unitRows() {
    const units = await this.units.list();
    const tree = await this.units.unitTree();
    const ordered = treeOrder(tree);
    const viewOf = new Map(units.map((u) => [u.id, u]));
    const indent = (depth: number) => (depth ? '\u00a0\u00a0'.repeat(depth - 1) + '└\u00a0' : '');
    const rows = ordered.map((node) => ({
      ...viewOf.get(node.id)!,
      depth: node.depth,
      indent: indent(node.depth),
    }));
    return rows.map((row) => {
      const below = new Set(descendantIds(tree, row.id));
      return {
        ...row,
        parentChoices: rows
          .filter((other) => other.id !== row.id && !below.has(other.id))
          .map((other) => ({
            code: other.code,
            label: `${other.indent}${other.name} (${other.code})`,
            selected: other.code === row.parentCode,
          })),
      };
    });
  }

  /** What the user form offers: roles, org units and positions (each shown with its code). */
  /** The form's lists; `held` are the sector keys ticked (kept even if not loaded now). */
  private async choices(lang: Language, held: string[] = []) {
    const positions = await this.positions.refs();
    const sectors = await this.sectors.list(lang);
    const known = new Set(sectors.map((s) => s.key));
    return {
      roles: ROLES,
      sectorChoices: [
        ...sectors.map((s) => ({ key: s.key, name: s.name, checked: held.includes(s.key) })),
        ...held.filter((k) => !known.has(k)).map((k) => ({ key: k, name: k, checked: true })),
      ],
      units: await this.units.list(),
      // By name, the code beside it: two positions may share a name (ADR 0028).
      positions: [...positions].sort(
        (a, b) => a.name.localeCompare(b.name, 'id') || a.code.localeCompare(b.code),
      ),
    };
  }

  @Allow('user.manage')
  @Get('pengguna')
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Form) {
    const page = Math.max(1, Math.min(100000, Number(query.page) || 1));
    const role = ROLES.includes(query.role as Role) ? (query.role as Role) : undefined;
    const filter = {
      search: query.search?.slice(0, 100) || undefined,
      role,
      orgUnit: query.orgUnit?.slice(0, 40) || undefined,
      sector: query.sector?.slice(0, 40) || undefined,
      page,
      pageSize: PAGE_SIZE,
    };
    const [result, units, sectors] = await Promise.all([
      this.users.list(filter),
      this.units.list(),
      this.sectors.list(languageOf(req)),
    ]);
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const link = (p: number) => {
      const params = new URLSearchParams();
      for (const key of ['search', 'role', 'orgUnit', 'sector'] as const) {
        if (filter[key]) params.set(key, filter[key]!);
      }
      params.set('page', String(p));
      return `/admin/pengguna?${params}`;
    };
    return this.pages.render(req, reply, 'people/users', {
      titleKey: 'users.title',
      result,
      filter,
      roles: ROLES,
      units,
      sectors,
      pager: {
        page,
        pages,
        prev: page > 1 ? link(page - 1) : null,
        next: page < pages ? link(page + 1) : null,
      },
    });
  }

  @Allow('user.manage')
  @Get('pengguna/baru')
  async newUser(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(req, reply, 'people/user-form', {
      titleKey: 'users.new',
      ...(await this.choices(languageOf(req))),
      values: { role: 'asn' },
    });
  }

  @Allow('user.manage')
  @Post('pengguna')
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Body() form: Form,
  ) {
    try {
      const created = await this.users.create(actor, {
        nip: form.nip?.trim() || undefined,
        email: form.email?.trim() || undefined,
        name: String(form.name ?? '').trim(),
        role: (form.role ?? 'asn') as Role,
        sectors: sectorList(form.sectors),
        positionCode: form.positionCode || undefined,
        orgUnitCode: form.orgUnitCode || undefined,
        supervisorNip: form.supervisorNip?.trim() || undefined,
      });
      const flash = created.temporaryPassword
        ? {
            kind: 'success' as const,
            key: 'users.tempPassword' as const,
            params: { password: created.temporaryPassword },
          }
        : { kind: 'success' as const, key: 'users.created' as const };
      return this.pages.redirect(reply, `/admin/pengguna/${created.id}`, flash);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'people/user-form',
        {
          titleKey: 'users.new',
          ...(await this.choices(languageOf(req), sectorList(form.sectors))),
          values: form,
          error: messageOf(error, languageOf(req)),
          field: error.field,
        },
        400,
      );
    }
  }

  @Allow('user.manage')
  @Get('pengguna/:id')
  async edit(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const user = await this.users.get(id);
    return this.pages.render(req, reply, 'people/user-edit', {
      titleKey: 'users.edit',
      subject: user,
      reports: await this.reporting.directReports(id),
      ...(await this.choices(languageOf(req), user.sectors)),
      values: {
        ...user,
        orgUnitCode: user.orgUnit?.code ?? '',
        positionCode: user.position?.code ?? '',
        supervisorNip: user.supervisor?.nip ?? '',
      },
    });
  }

  @Allow('user.manage')
  @Post('pengguna/:id')
  async update(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    try {
      await this.users.update(actor, id, {
        name: form.name?.trim(),
        email: form.email?.trim() || undefined,
        role: form.role as Role | undefined,
        sectors: sectorList(form.sectors),
        orgUnitCode: form.orgUnitCode ? form.orgUnitCode : null,
        positionCode: form.positionCode ? form.positionCode : null,
        supervisorNip: form.supervisorNip?.trim() || null,
      });
      return this.pages.redirect(reply, `/admin/pengguna/${id}`, {
        kind: 'success',
        key: 'users.saved',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const user = await this.users.get(id);
      return this.pages.render(
        req,
        reply,
        'people/user-edit',
        {
          titleKey: 'users.edit',
          subject: user,
          reports: await this.reporting.directReports(id),
          ...(await this.choices(languageOf(req), sectorList(form.sectors))),
          values: form,
          error: messageOf(error, languageOf(req)),
          field: error.field,
        },
        400,
      );
    }
  }

  @Allow('user.manage')
  @Post('pengguna/:id/nonaktifkan')
  async deactivate(
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
  ) {
    return this.act(reply, id, () => this.users.setActive(actor, id, false), 'users.deactivated');
  }

  @Allow('user.manage')
  @Post('pengguna/:id/aktifkan')
  async reactivate(
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
  ) {
    return this.act(reply, id, () => this.users.setActive(actor, id, true), 'users.reactivated');
  }

  @Allow('user.manage')
  @Post('pengguna/:id/atur-ulang-sandi')
  async resetPassword(
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
  ) {
    const { temporaryPassword } = await this.users.resetPassword(actor, id);
    return this.pages.redirect(reply, `/admin/pengguna/${id}`, {
      kind: 'success',
      key: 'users.tempPassword',
      params: { password: temporaryPassword ?? '' },
    });
  }

  @Allow('org-unit.read')
  @Get('unit-kerja')
  async orgUnits(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(req, reply, 'people/org-units', {
      titleKey: 'orgUnits.title',
      units: await this.unitRows(),
      values: {},
    });
  }

  @Allow('org-unit.manage')
  @Post('unit-kerja')
  async createOrgUnit(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Body() form: Form,
  ) {
    const code = String(form.code ?? '')
      .trim()
      .toUpperCase();
    const name = String(form.name ?? '').trim();
    try {
      if (!/^[A-Z0-9][A-Z0-9._-]{1,39}$/.test(code))
        throw orgUnitError('org_unit.invalid', { variant: 'code', field: 'code' });
      if (name.length < 2)
        throw orgUnitError('org_unit.invalid', { variant: 'name', field: 'name' });
      await this.units.create(actor, { code, name, parentCode: form.parentCode || undefined });
      return this.pages.redirect(reply, '/admin/unit-kerja', {
        kind: 'success',
        key: 'orgUnits.created',
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'people/org-units',
        {
          titleKey: 'orgUnits.title',
          units: await this.unitRows(),
          values: { code, name, parentCode: form.parentCode },
          error: messageOf(error, languageOf(req)),
          field: error.field,
        },
        400,
      );
    }
  }

  @Allow('org-unit.manage')
  @Post('unit-kerja/:id')
  async updateOrgUnit(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    const name = String(form.name ?? '').trim();
    try {
      if (name.length < 2 || name.length > 150)
        throw orgUnitError('org_unit.invalid', { variant: 'name', field: 'name' });
      await this.units.update(actor, id, {
        name,
        active: form.active === 'true',
        // A form without the select (an older page) leaves the parent as it is.
        ...(form.parentCode !== undefined && { parentCode: form.parentCode || null }),
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return this.pages.render(
        req,
        reply,
        'people/org-units',
        {
          titleKey: 'orgUnits.title',
          units: await this.unitRows(),
          values: {},
          error: messageOf(error, languageOf(req)),
          field: error.field,
        },
        400,
      );
    }
    return this.pages.redirect(reply, '/admin/unit-kerja', { kind: 'success', key: 'users.saved' });
  }

  @Allow('user.manage')
  @Get('impor')
  importForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(req, reply, 'people/import', { titleKey: 'import.title' });
  }

  @Allow('user.manage')
  @Post('impor')
  async importFile(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() actor: AuthUser,
    @Query('mode') mode?: string,
  ) {
    try {
      const result = await this.imports.run(actor, await readUpload(req), mode !== 'apply');
      return this.pages.render(req, reply, 'people/import', { titleKey: 'import.title', result });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'people/import',
        { titleKey: 'import.title', error: messageOf(error, languageOf(req)) },
        400,
      );
    }
  }

  private async act(
    reply: FastifyReply,
    id: string,
    action: () => Promise<unknown>,
    key: MessageKey,
  ) {
    try {
      await action();
      return this.pages.redirect(reply, `/admin/pengguna/${id}`, { kind: 'success', key });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return this.pages.redirectWithError(reply, `/admin/pengguna/${id}`, error);
    }
  }
}
