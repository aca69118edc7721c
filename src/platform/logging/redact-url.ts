/** A URL as logs may keep it: a password-reset link's token is a secret (ADR 0026). */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/g, '$1…');
}
