import { Global, Module } from '@nestjs/common';
import { HomePages } from './home.pages.js';
import { PageRenderer } from './page-renderer.js';
import { PasswordResetPages } from './password-reset.pages.js';
import { SessionPages } from './session.pages.js';

/** The web shell: page rendering shared by every domain's pages, and the session pages. */
@Global()
@Module({
  controllers: [HomePages, SessionPages, PasswordResetPages],
  providers: [PageRenderer],
  exports: [PageRenderer],
})
export class WebModule {}
