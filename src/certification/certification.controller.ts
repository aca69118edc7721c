import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Allow, CurrentUser, Public } from '../platform/auth/auth.decorators.js';
import { sendFile } from '../platform/http/table-export.js';
import { ApprovalsService } from './approvals.service.js';
import { CertificateFiles } from './certificate-files.js';
import { CertificateEligibility } from './certificate-eligibility.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { CertificateWithdrawal } from './certificate-withdrawal.js';
import { CertificatesService } from './certificates.service.js';
import {
  ActivateSchemeDto,
  CreateSchemeDto,
  DecideApprovalDto,
  RevokeDto,
  UpdateSchemeDto,
  VerifyQueryDto,
} from './certification.dto.js';
import { CredentialSigner } from './credential-signer.js';
import { SchemesService } from './schemes.service.js';
import { StatusLists } from './status-list.js';
import { VerifyThrottleGuard } from './verify-throttle.guard.js';
import { ApiFileResponse, PDF } from '../platform/http/api-file.decorator.js';
import { UuidParam } from '../platform/http/uuid-param.decorator.js';
import {
  ActivationPreviewResponse,
  ApprovalDecisionResponse,
  ApprovalRequestResponse,
  CertificateResponse,
  CertificatesPendingResponse,
  JwksResponse,
  SchemeActivationResponse,
  SchemeCheckResponse,
  SchemeProgressResponse,
  SchemeResponse,
  VerifyResponse,
} from './certification.response.js';

@ApiTags('certification')
@ApiBearerAuth()
@Controller()
export class CertificationController {
  constructor(
    private readonly schemes: SchemesService,
    private readonly certificates: CertificatesService,
    private readonly eligibility: CertificateEligibility,
    private readonly issuer: CertificateIssuer,
    private readonly withdrawal: CertificateWithdrawal,
    private readonly approvals: ApprovalsService,
    private readonly files: CertificateFiles,
    private readonly signer: CredentialSigner,
    private readonly statusLists: StatusLists,
  ) {}

  /** Create a certification scheme. */
  @Allow('scheme.manage')
  @Post('api/v1/certification-schemes')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateSchemeDto): Promise<SchemeResponse> {
    return this.schemes.create(user, body);
  }

  /** Certification schemes, filtered by sector. */
  @Allow('self.read')
  @Get('api/v1/certification-schemes')
  @ApiQuery({ name: 'sector', required: false })
  list(@Query('sector') sector?: string): Promise<SchemeResponse[]> {
    return this.schemes.list(sector);
  }

  /** One certification scheme. */
  @Allow('self.read')
  @Get('api/v1/certification-schemes/:id')
  get(@UuidParam('id') id: string): Promise<SchemeResponse> {
    return this.schemes.get(id);
  }

  /** Change a certification scheme. */
  @Allow('scheme.manage')
  @Put('api/v1/certification-schemes/:id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateSchemeDto,
  ): Promise<SchemeResponse> {
    return this.schemes.update(user, id, body);
  }

  @Allow('scheme.manage')
  @Get('api/v1/certification-schemes/:id/activation-preview')
  @ApiOperation({
    summary: 'Who activating the scheme would certify at once',
    description:
      'Answers `{ count, people, includesYou, hasRequirement }`: `count` is what POST …/activate must confirm; `people` names the first 100 (NIP masked).',
  })
  activationPreview(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<ActivationPreviewResponse> {
    return this.schemes.activationPreview(user, id);
  }

  @Allow('scheme.manage')
  @Post('api/v1/certification-schemes/:id/activate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate a draft scheme and issue what it owes at once',
    description:
      'Only a scheme with a real requirement (course, assessment, approval or sector rule); `confirm` must be the preview count (409 with `details.count` otherwise); a caller it would certify is refused (403). Answers `{ scheme, issued }`. Back to draft: PUT with `status: "draft"`.',
  })
  @ApiOkResponse({ type: SchemeActivationResponse })
  @ApiConflictResponse({ description: 'The confirmed number is no longer the preview count' })
  @ApiUnprocessableEntityResponse({ description: 'The scheme has no real requirement' })
  activate(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: ActivateSchemeDto,
  ): Promise<SchemeActivationResponse> {
    return this.schemes.activate(user, id, body.confirm);
  }

  /** Candidates waiting for an assessor's decision, in the caller's sectors. */
  @Allow('scheme.manage')
  @Get('api/v1/approvals')
  queue(@CurrentUser() user: AuthUser): Promise<ApprovalRequestResponse[]> {
    return this.approvals.queue(user);
  }

  /** Approve or refuse a candidate for a scheme (assessor). */
  @Allow('scheme.manage')
  @Post('api/v1/certification-schemes/:id/approvals/:userId')
  @HttpCode(200)
  decide(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() body: DecideApprovalDto,
  ): Promise<ApprovalDecisionResponse> {
    return this.approvals.decide(user, id, userId, body);
  }

  /** The caller's certificates. */
  @Allow('self.read')
  @Get('api/v1/me/certificates')
  mine(@CurrentUser() user: AuthUser): Promise<CertificateResponse[]> {
    return this.certificates.mine(user);
  }

  /** Every active scheme with which of its requirements the caller meets. */
  @Allow('self.read')
  @Get('api/v1/me/schemes')
  progress(@CurrentUser() user: AuthUser): Promise<SchemeProgressResponse[]> {
    return this.eligibility.schemeProgress(user);
  }

  /** "Periksa kelayakan sekarang": evaluates the caller's schemes now (idempotent, rate-limited). */
  @Allow('self.read')
  @Post('api/v1/me/schemes/check')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Evaluate the caller against every scheme now',
    description:
      'Issues what the caller is owed (once, whatever the number of calls) and answers `{ issued, schemes }` with `schemes` as in GET /api/v1/me/schemes; 429 when called more than 5 times a minute.',
  })
  check(@CurrentUser() user: AuthUser): Promise<SchemeCheckResponse> {
    return this.issuer.checkNow(user);
  }

  /** Staff: search by number, NIP or name in their sectors. */
  @Allow('scheme.manage')
  @Get('api/v1/certificates')
  @ApiQuery({ name: 'q', required: false })
  search(@CurrentUser() user: AuthUser, @Query('q') q?: string): Promise<CertificateResponse[]> {
    return this.certificates.search(user, q);
  }

  @Allow('scheme.manage')
  @Get('api/v1/certificates/pending')
  @ApiOperation({
    summary: 'What is pending: certificates not numbered yet, evaluations that failed',
    description:
      "Issued certificates still without a number (in the caller's sectors) and, for admins, the users whose scheme evaluation failed and waits to run again; both are retried every minute by the numbering job (ADR 0041). 403 for ASN.",
  })
  @ApiOkResponse({ type: CertificatesPendingResponse })
  pending(@CurrentUser() user: AuthUser): Promise<CertificatesPendingResponse> {
    return this.certificates.pending(user);
  }

  /** One certificate. */
  @Allow('self.read')
  @Get('api/v1/certificates/:id')
  async one(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<CertificateResponse> {
    return this.certificates.view(await this.certificates.get(user, id));
  }

  /** A certificate no longer valid is stamped DICABUT, KEDALUWARSA or DIPERBARUI. */
  @Allow('self.read')
  @Get('api/v1/certificates/:id/pdf')
  @ApiFileResponse([PDF])
  async pdf(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return sendFile(reply, await this.files.pdf(user, id));
  }

  /** The signed credential (Open Badges 3.0 / W3C VC as a JWT), verifiable offline. */
  @Allow('self.read')
  @Get('api/v1/certificates/:id/credential')
  @ApiFileResponse(['application/vc+jwt'], { text: true, description: 'The VC-JWT' })
  @ApiOperation({
    summary: 'The signed credential: exp at validUntil, status as a BitstringStatusListEntry',
  })
  @ApiGoneResponse({ description: 'The certificate was revoked: no credential is handed out' })
  async credential(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return sendFile(reply, await this.files.credential(user, id));
  }

  /** Revoke a certificate, with a reason. */
  @Allow('certificate.revoke')
  @Post('api/v1/certificates/:id/revoke')
  @HttpCode(200)
  revoke(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: RevokeDto,
  ): Promise<CertificateResponse> {
    return this.withdrawal.revoke(user, id, body.reason);
  }

  @Public()
  @Get('api/v1/verify/:code')
  @UseGuards(VerifyThrottleGuard)
  @ApiOperation({
    summary: 'Verify a certificate by its code or its printed number',
    description:
      'By the code (QR) or the printed number (URL-encoded, e.g. `001%2FSERT-…%2F2026`): the same public record; a lookup by number leaves out the codes of a successor. 404 when unknown.',
  })
  @ApiOkResponse({ type: VerifyResponse })
  @ApiTooManyRequestsResponse({ description: 'Over VERIFY_RATE_LIMIT per minute from one IP' })
  verify(@Param('code') code: string): Promise<VerifyResponse> {
    return this.certificates.verify(code);
  }

  /** The same lookup with the value in the query: a printed number's slashes need no escaping in the path. */
  @Public()
  @Get('api/v1/verify')
  @UseGuards(VerifyThrottleGuard)
  @ApiOperation({
    summary: 'Verify by `?number=` (printed number) or `?code=`',
    description:
      'As GET /api/v1/verify/{code}; for clients and proxies that mangle an encoded slash in a path. 400 without either, 404 when unknown.',
  })
  @ApiOkResponse({ type: VerifyResponse })
  @ApiTooManyRequestsResponse({ description: 'Over VERIFY_RATE_LIMIT per minute from one IP' })
  verifyByQuery(@Query() query: VerifyQueryDto): Promise<VerifyResponse> {
    return this.certificates.verify((query.number ?? query.code)!);
  }

  /**
   * A revocation list (W3C Bitstring Status List) as a signed credential (VC-JWT): the
   * `statusListCredential` of every certificate credential points here.
   */
  @Public()
  @Get('api/v1/status-lists/:id')
  @UseGuards(VerifyThrottleGuard)
  @Header('cache-control', 'public, max-age=300')
  @ApiFileResponse(['application/vc+jwt'], { text: true, description: 'The VC-JWT' })
  @ApiOperation({ summary: 'Revocation status list (BitstringStatusListCredential, VC-JWT)' })
  @ApiTooManyRequestsResponse({ description: 'Over VERIFY_RATE_LIMIT per minute from one IP' })
  async statusList(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const jwt = await this.statusLists.credential(id);
    return reply.type('application/vc+jwt').send(jwt);
  }

  /** The public key that signs credentials and status lists; each `kid` is its own URL here. */
  @Public()
  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ summary: 'The issuer key set (JWKS) that verifies credentials' })
  jwks(): JwksResponse {
    return this.signer.jwks();
  }
}
