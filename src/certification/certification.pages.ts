import { formText as text, formLines as lines, type Form } from '../platform/web/form-values.js';
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser, Public } from '../platform/auth/auth.decorators.js';
import { DomainError, messageOf, STATUS_OF_KIND } from '../platform/http/domain-error.js';
import { sendFile } from '../platform/http/table-export.js';
import { languageOf } from '../platform/http/lang.decorator.js';
import { t } from '../platform/i18n/i18n.js';
import { PageRenderer } from '../platform/web/page-renderer.js';
import { ApprovalsService } from './approvals.service.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateEligibility } from './certificate-eligibility.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { CertificateWithdrawal } from './certificate-withdrawal.js';
import { certificateError, CertificatesService } from './certificates.service.js';
import { CertificateFiles } from './certificate-files.js';
import { CredentialSharing } from './credential-sharing.js';
import { schemeError, SchemesService } from './schemes.service.js';
import { VerifyThrottleGuard } from './verify-throttle.guard.js';
import type { DeliveryMode } from '../learning/delivery-modes.js';

/**
 * Certificate pages: the ASN's certificates and scheme progress, the certificate itself,
 * public verification, coordinators' schemes and approvals, admins' search and revocation.
 */
/**
 * The form's cost, mode and evaluation days (ADR 0040): blank is unknown (the default 90
 * days), "1.500.000" reads as rupiah with thousands dots; the service checks the values.
 */
const schemePlanningForm = (form: Form) => {
  const whole = (value: string | string[] | undefined) => {
    const raw = text(value).trim().replace(/\s/g, '');
    if (!raw) return null;
    return Number(/^\d{1,3}(\.\d{3})+$/.test(raw) ? raw.replace(/\./g, '') : raw);
  };
  return {
    costIdr: whole(form.costIdr),
    deliveryMode: (text(form.deliveryMode).trim() || null) as DeliveryMode | null,
    evaluationDays: whole(form.evaluationDays),
  };
};

@ApiExcludeController()
@Controller()
export class CertificationPages {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly eligibility: CertificateEligibility,
    private readonly issuer: CertificateIssuer,
    private readonly withdrawal: CertificateWithdrawal,
    private readonly schemes: SchemesService,
    private readonly approvals: ApprovalsService,
    private readonly renderer: CertificateRenderer,
    private readonly files: CertificateFiles,
    private readonly sharing: CredentialSharing,
    private readonly pages: PageRenderer,
  ) {}

  @Allow('self.read')
  @Get('sertifikat')
  async mine(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'certification/mine', {
      titleKey: 'certificates.title',
      certificates: await this.certificates.mine(user),
      schemes: await this.eligibility.schemeProgress(user),
    });
  }

  /** "Periksa kelayakan sekarang" on the scheme page. */
  @Allow('self.read')
  @Post('sertifikat/periksa')
  async check(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser) {
    try {
      const { issued } = await this.issuer.checkNow(user);
      return this.pages.redirect(reply, '/sertifikat#skema', {
        kind: issued.length ? 'success' : 'info',
        key: issued.length ? 'certificates.checkIssued' : 'certificates.checkNothing',
        params: { count: issued.length },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'too_many') throw error;
      return this.pages.redirect(reply, '/sertifikat#skema', {
        kind: 'error',
        key: 'certificates.checkThrottled',
      });
    }
  }

  /** The certificate as a printable A4 page. */
  @Allow('self.read')
  @Get('sertifikat/:id')
  async show(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @Param('id') id: string) {
    const certificate = await this.certificates.get(user, id);
    const scheme = await this.schemes.get(certificate.schemeId);
    const html = await this.renderer.html(
      certificate,
      scheme.template,
      this.certificates.effectiveStatus(certificate),
    );
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  }

  @Allow('self.read')
  @Get('sertifikat/:id/pdf')
  async pdf(@Res() reply: FastifyReply, @CurrentUser() user: AuthUser, @Param('id') id: string) {
    return sendFile(reply, await this.files.pdf(user, id));
  }

  /** What a digital credential is, and how to share, download and prove it (holder only). */
  @Allow('self.read')
  @Get('sertifikat/:id/kredensial')
  async credential(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    const credential = await this.sharing.share(user, id);
    return this.pages.render(req, reply, 'certification/credential', {
      titleKey: 'credential.title',
      credential,
      revoked: credential.status === 'revoked',
    });
  }

  @Allow('self.read')
  @Get('sertifikat/:id/kredensial.jwt')
  async credentialJwt(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return sendFile(reply, await this.sharing.jwt(user, id));
  }

  @Allow('self.read')
  @Get('sertifikat/:id/kredensial.json')
  async credentialJson(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return sendFile(reply, await this.sharing.json(user, id));
  }

  @Public()
  @Get('verify/:code')
  @UseGuards(VerifyThrottleGuard)
  async verify(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
  ) {
    return this.renderVerification(req, reply, code);
  }

  /**
   * The form (home, login and this page): a code goes to its shareable address; a printed
   * number is answered here, so its slashes never travel escaped in a path.
   */
  @Public()
  @Get('verify')
  @UseGuards(VerifyThrottleGuard)
  async verifyForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('code') code?: string,
  ) {
    const typed = typeof code === 'string' ? code.trim().slice(0, 120) : '';
    if (!typed)
      return this.pages.render(req, reply, 'certification/verify', { titleKey: 'verify.title' });
    if (/^[A-Z2-7]{16}$/i.test(typed.replace(/\s+/g, '')))
      return this.pages.redirect(
        reply,
        `/verify/${encodeURIComponent(typed.replace(/\s+/g, '').toUpperCase())}`,
      );
    return this.renderVerification(req, reply, typed);
  }

  private async renderVerification(req: FastifyRequest, reply: FastifyReply, typed: string) {
    try {
      const result = await this.certificates.verify(typed);
      return this.pages.render(req, reply, 'certification/verify', {
        titleKey: 'verify.title',
        typed,
        result,
        byNumber: compact(typed) === compact(result.certificate.number),
        [`is_${result.status}`]: true,
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'not_found') throw error;
      return this.pages.render(
        req,
        reply,
        'certification/verify',
        { titleKey: 'verify.title', typed, unknown: true },
        404,
      );
    }
  }

  @Allow('scheme.manage')
  @Get('kelola/skema')
  async manage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.renderManage(req, reply, user);
  }

  @Allow('scheme.manage')
  @Post('kelola/skema')
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    try {
      const months = Number(text(form.validityMonths));
      const attests = lines(form.attests).map((l) => {
        const [code, level] = l.split(':');
        return { competencyCode: code.trim(), level: Number(level) || 1 };
      });
      const minPercent = Number(text(form.minPercent)) || 70;
      // Empty requirement boxes would make a scheme that certifies anyone (ADR 0017).
      if (
        !lines(form.courses).length &&
        !lines(form.assessments).length &&
        text(form.approval) !== '1'
      )
        return this.renderManage(
          req,
          reply,
          user,
          t(languageOf(req), 'schemes.noRequirement'),
          422,
        );
      await this.schemes.create(user, {
        sector: text(form.sector),
        code: text(form.code).trim().toUpperCase(),
        title: text(form.title).trim(),
        description: text(form.description).slice(0, 4000),
        requirements: {
          courses: lines(form.courses),
          assessments: lines(form.assessments).map((assessmentId) => ({
            assessmentId,
            minPercent,
          })),
          approval: text(form.approval) === '1',
          rules: [],
        },
        attests,
        validityMonths: Number.isInteger(months) && months > 0 ? months : null,
        requiresSupervision: text(form.requiresSupervision) === '1',
        ...schemePlanningForm(form),
      });
      return this.pages.redirect(reply, '/kelola/skema', {
        kind: 'success',
        key: 'schemes.created',
      });
    } catch (error) {
      // What the form can fix comes back with the form: bad input, a taken code, and a
      // competency the author may not attest (ADR 0012).
      if (
        !(error instanceof DomainError) ||
        !(['invalid', 'conflict'].includes(error.kind) || error.field?.startsWith('attests'))
      )
        throw error;
      return this.renderManage(
        req,
        reply,
        user,
        messageOf(error, languageOf(req)),
        STATUS_OF_KIND[error.kind],
      );
    }
  }

  @Allow('scheme.manage')
  @Post('kelola/skema/:id/persetujuan/:userId')
  async decide(
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() form: Form,
  ) {
    await this.approvals.decide(user, id, userId, {
      approved: text(form.decision) === 'approve',
      notes: text(form.notes).slice(0, 4000),
      reason: text(form.reason).slice(0, 2000),
    });
    return this.pages.redirect(reply, '/kelola/skema', { kind: 'success', key: 'schemes.decided' });
  }

  /** Who activating the scheme would certify at once, and the form that confirms that number. */
  @Allow('scheme.manage')
  @Get('kelola/skema/:id/aktivasi')
  async activation(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return this.renderActivation(req, reply, user, id);
  }

  @Allow('scheme.manage')
  @Post('kelola/skema/:id/aktivasi')
  async activate(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    const confirm = Number(text(form.confirm));
    try {
      if (!Number.isInteger(confirm) || confirm < 0)
        throw schemeError('scheme.invalid', { variant: 'confirm', field: 'confirm' });
      await this.schemes.activate(user, id, confirm);
    } catch (error) {
      // A changed number, a scheme without requirement: the preview again, with the reason.
      if (
        !(error instanceof DomainError) ||
        !['invalid', 'conflict', 'refused'].includes(error.kind)
      )
        throw error;
      return this.renderActivation(
        req,
        reply,
        user,
        id,
        messageOf(error, languageOf(req)),
        STATUS_OF_KIND[error.kind],
      );
    }
    return this.pages.redirect(reply, '/kelola/skema', {
      kind: 'success',
      key: 'schemes.activated',
    });
  }

  private async renderActivation(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    error?: string,
    status = 200,
  ) {
    const scheme = await this.schemes.get(id);
    const preview = await this.schemes.activationPreview(user, id);
    return this.pages.render(
      req,
      reply,
      'certification/activate',
      { titleKey: 'schemes.preview', scheme, preview, error },
      status,
    );
  }

  @Allow('certificate.revoke')
  @Get('admin/sertifikat')
  async search(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Query('q') q?: string,
  ) {
    return this.pages.render(req, reply, 'certification/admin', {
      titleKey: 'certificates.admin',
      q: q ?? '',
      certificates: await this.certificates.search(user, q?.slice(0, 100)),
    });
  }

  /** "Sertifikat tertunda": what waits for its number, and failed evaluations (ADR 0041). */
  @Allow('scheme.manage')
  @Get('admin/sertifikat/tertunda')
  async pending(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'certification/pending', {
      titleKey: 'certificates.pending',
      admin: user.role === 'admin',
      pending: await this.certificates.pending(user),
    });
  }

  /** Revoking cannot be undone: a page of its own shows what goes and asks why. */
  @Allow('certificate.revoke')
  @Get('admin/sertifikat/:id/cabut')
  async confirmRevoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ) {
    return this.renderRevoke(req, reply, user, id, { reason: '' });
  }

  @Allow('certificate.revoke')
  @Post('admin/sertifikat/:id/cabut')
  async revoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() form: Form,
  ) {
    const reason = text(form.reason).trim().slice(0, 2000);
    try {
      if (reason.length < 5)
        throw certificateError('certificate.invalid', {
          variant: 'revocationReason',
          field: 'reason',
        });
      await this.certificates.staffView(user, id);
      const revoked = await this.withdrawal.revoke(user, id, reason);
      return this.pages.redirect(
        reply,
        `/admin/sertifikat?q=${encodeURIComponent(revoked.number)}`,
        { kind: 'success', key: 'certificates.revoked' },
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      return this.renderRevoke(
        req,
        reply,
        user,
        id,
        { reason, error: messageOf(error, languageOf(req)), field: error.field },
        STATUS_OF_KIND[error.kind],
      );
    }
  }

  private async renderRevoke(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    id: string,
    extra: { reason: string; error?: string; field?: string },
    status = 200,
  ) {
    const certificate = await this.certificates.staffView(user, id);
    return this.pages.render(
      req,
      reply,
      'certification/revoke',
      { titleKey: 'certificates.revokeTitle', certificate, ...extra },
      status,
    );
  }

  private async renderManage(
    req: FastifyRequest,
    reply: FastifyReply,
    user: AuthUser,
    error?: string,
    status = 200,
  ) {
    const managed = user.role === 'admin' ? null : user.sectors;
    const schemes = (await this.schemes.list()).filter(
      (s) => !managed || managed.includes(s.sector),
    );
    return this.pages.render(
      req,
      reply,
      'certification/manage',
      {
        titleKey: 'schemes.title',
        schemes,
        sectors: managed,
        queue: await this.approvals.queue(user),
        issued: await this.certificates.search(user, undefined, 30),
        error,
      },
      status,
    );
  }
}

/** A code or number as typed from paper: spaces dropped, any case. */
const compact = (text: string) => text.replace(/\s+/g, '').toUpperCase();
