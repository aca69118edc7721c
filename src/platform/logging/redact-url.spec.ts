import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('keeps a reset token out of a logged URL, whatever its place in the query', () => {
    expect(redactUrl('/sandi-baru?token=abc123')).toBe('/sandi-baru?token=…');
    expect(redactUrl('/x?a=1&token=abc&b=2')).toBe('/x?a=1&token=…&b=2');
    expect(redactUrl('/verify/ABC?code=1')).toBe('/verify/ABC?code=1');
  });
});
