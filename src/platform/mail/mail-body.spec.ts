import { AUTOMATED_MAIL_HEADERS, mailHtml } from './mail-body.js';

describe('mailHtml', () => {
  it('makes every address a link and leaves sentence punctuation outside it', () => {
    expect(
      mailHtml(
        'Unduh di https://contoh.id/sertifikat. Periksa di https://contoh.id/verify/AB-12, kapan saja.',
      ),
    ).toBe(
      '<p>Unduh di <a href="https://contoh.id/sertifikat">https://contoh.id/sertifikat</a>. ' +
        'Periksa di <a href="https://contoh.id/verify/AB-12">https://contoh.id/verify/AB-12</a>, kapan saja.</p>',
    );
  });

  it('keeps a query string whole and escaped, on a line of its own', () => {
    expect(mailHtml('Buka:\n\nhttp://127.0.0.1:3000/atur-sandi?token=a_b-c&x=1')).toBe(
      '<p>Buka:</p>\n<p><a href="http://127.0.0.1:3000/atur-sandi?token=a_b-c&amp;x=1">' +
        'http://127.0.0.1:3000/atur-sandi?token=a_b-c&amp;x=1</a></p>',
    );
  });

  it('escapes markup in the text and links nothing that is not http(s)', () => {
    expect(mailHtml('Alasan: <b>salah</b> javascript:alert(1)\nbaris dua')).toBe(
      '<p>Alasan: &lt;b&gt;salah&lt;/b&gt; javascript:alert(1)<br>\nbaris dua</p>',
    );
  });

  it('marks mail as automatic so auto-replies stay away', () => {
    expect(AUTOMATED_MAIL_HEADERS).toEqual({
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
  });
});
