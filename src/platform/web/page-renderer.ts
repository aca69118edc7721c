import handlebars from 'handlebars';
import type {} from '@fastify/view';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { AuthService } from '../auth/auth.service.js';
import { languageOf, type Language } from '../http/lang.decorator.js';
import { DomainError } from '../http/domain-error.js';
import { hasMessage, t, tDynamic, type MessageKey } from '../i18n/i18n.js';
import { FLASH_COOKIE, readFlash, type Flash } from './cookies.js';
import { csrfSession } from './web-setup.js';

interface NavItem {
  href: string;
  key: MessageKey;
}

/** What a page template gets; `titleKey` names the page's title in the catalogue. */
export type PageData = Record<string, unknown> & { titleKey?: MessageKey };

/** A flash message that code writes: a real key of the catalogue. */
export type PageFlash = Omit<Flash, 'key'> & { key: MessageKey };

/** Navigation per role: only pages that exist. */
const NAV: Record<AuthUser['role'], NavItem[]> = {
  admin: [
    { href: '/beranda', key: 'nav.home' },
    { href: '/admin/pengguna', key: 'nav.users' },
    { href: '/admin/unit-kerja', key: 'nav.orgUnits' },
    { href: '/admin/impor', key: 'nav.import' },
    { href: '/kelola/pelatihan', key: 'nav.manageCourses' },
    { href: '/kelola/bank-soal', key: 'nav.banks' },
    { href: '/kelola/ujian', key: 'nav.assessments' },
    { href: '/kelola/skema', key: 'nav.schemes' },
    { href: '/admin/sertifikat', key: 'nav.certificateAdmin' },
    { href: '/admin/sektor', key: 'nav.sectors' },
    { href: '/admin/jabatan', key: 'nav.positions' },
    { href: '/admin/kompetensi', key: 'nav.competencies' },
    { href: '/laporan', key: 'nav.reports' },
    { href: '/laporan/program', key: 'nav.programmeReports' },
    { href: '/laporan/kesenjangan', key: 'nav.gapReport' },
    { href: '/laporan/rencana-pengembangan', key: 'nav.developmentPlanReport' },
    { href: '/laporan/dampak', key: 'nav.impactReport' },
    { href: '/admin/indikator', key: 'nav.indicators' },
    { href: '/tim', key: 'nav.team' },
    { href: '/admin/audit', key: 'nav.audit' },
    { href: '/profil', key: 'nav.profile' },
  ],
  coordinator: [
    { href: '/beranda', key: 'nav.home' },
    { href: '/kelola/pelatihan', key: 'nav.manageCourses' },
    { href: '/kelola/bank-soal', key: 'nav.banks' },
    { href: '/kelola/ujian', key: 'nav.assessments' },
    { href: '/kelola/skema', key: 'nav.schemes' },
    { href: '/kompetensi-sektor', key: 'nav.sectorCompetencies' },
    { href: '/laporan', key: 'nav.reports' },
    { href: '/laporan/kesenjangan', key: 'nav.gapReport' },
    { href: '/laporan/dampak', key: 'nav.impactReport' },
    { href: '/rencana', key: 'nav.myPlan' },
    { href: '/tim', key: 'nav.team' },
    { href: '/evaluasi', key: 'nav.evaluations' },
    { href: '/profil', key: 'nav.profile' },
  ],
  asn: [
    { href: '/beranda', key: 'nav.home' },
    { href: '/kompetensi', key: 'nav.myCompetency' },
    { href: '/pelatihan', key: 'nav.catalogue' },
    { href: '/pembelajaran', key: 'nav.myLearning' },
    { href: '/ujian', key: 'nav.exams' },
    { href: '/sertifikat', key: 'nav.certificates' },
    { href: '/rencana', key: 'nav.myPlan' },
    { href: '/tim', key: 'nav.team' },
    { href: '/evaluasi', key: 'nav.evaluations' },
    { href: '/notifikasi', key: 'nav.notifications' },
    { href: '/profil', key: 'nav.profile' },
  ],
};

const fragments: Record<string, handlebars.TemplateDelegate> = {};

type PageRequest = FastifyRequest & { user?: AuthUser };

/** Renders a page with what every page needs: language, user and navigation, CSRF token, flash message. */
@Injectable()
export class PageRenderer {
  constructor(private readonly auth: AuthService) {}

  async render(
    request: PageRequest,
    reply: FastifyReply,
    template: string,
    data: PageData = {},
    status = 200,
  ): Promise<FastifyReply> {
    const context = this.context(request, reply, data);
    return reply.status(status).header('cache-control', 'no-store').view(template, context);
  }

  /** One partial alone, without the layout: the piece a page script swaps in place. */
  fragment(
    request: PageRequest,
    reply: FastifyReply,
    partial: string,
    data: PageData = {},
  ): FastifyReply {
    const render = (fragments[partial] ??= handlebars.compile(`{{> ${partial}}}`));
    return reply
      .status(200)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(render(this.context(request, reply, data)));
  }

  context(request: PageRequest, reply: FastifyReply, data: PageData = {}): Record<string, unknown> {
    const lang = languageOf(request);
    const user = request.user ?? null;
    const flash = readFlash(request.cookies?.[FLASH_COOKIE]);
    if (flash) reply.clearCookie(FLASH_COOKIE, { path: '/' });
    const path = request.url.split('?')[0];
    return {
      lang,
      otherLang: lang === 'id' ? 'en' : 'id',
      user,
      // Until a temporary password is replaced every page leads back to the change form:
      // no menu that would only bounce (sign-out stays).
      nav: user && !user.mustChangePassword ? navFor(user.role, path) : [],
      // Bound to the signed-in session: the token of a form is good in this session only.
      csrfToken: reply.generateCsrf({ userInfo: csrfSession(this.auth, request) }),
      // The cookie's key is the browser's to change: an unknown one shows as it is, escaped.
      flash: flash ? { kind: flash.kind, text: tDynamic(lang, flash.key, flash.params) } : null,
      currentPath: request.url,
      title: t(lang, data.titleKey ?? 'app.name'),
      ...data,
    };
  }

  /** Back to a page after a domain error, which that page then shows in its reader's language. */
  redirectWithError(reply: FastifyReply, to: string, error: DomainError): FastifyReply {
    const key = hasMessage('id', error.messageKey) ? error.messageKey : error.message;
    return this.redirectWith(reply, to, { kind: 'error', key, params: error.params });
  }

  redirect(reply: FastifyReply, to: string, flash?: PageFlash): FastifyReply {
    return this.redirectWith(reply, to, flash);
  }

  private redirectWith(reply: FastifyReply, to: string, flash?: Flash): FastifyReply {
    if (flash) {
      reply.setCookie(FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        maxAge: 60,
      });
    }
    return reply.redirect(to, 303);
  }
}

/** A local path to return to after a form, never another site. */
/** The role's menu, the current page being the entry with the longest path that contains it. */
function navFor(role: AuthUser['role'], path: string) {
  const within = (href: string) => path === href || path.startsWith(href + '/');
  const current = NAV[role]
    .filter((item) => within(item.href))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return NAV[role].map((item) => ({ ...item, current: item === current }));
}

export function safeNext(value: unknown, fallback = '/beranda'): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : fallback;
}

export type { Language };
