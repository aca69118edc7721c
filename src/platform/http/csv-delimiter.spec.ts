import { DomainError } from './domain-error.js';
import { csvDelimiterOf, firstLanguage } from './csv-delimiter.js';

const request = (
  query: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  cookies: Record<string, string> = {},
) => ({ query, headers, cookies });

describe('csvDelimiterOf', () => {
  it('takes ?delimiter= over every language signal', () => {
    expect(csvDelimiterOf(request({ delimiter: 'comma' }, {}, { sa_lang: 'id' }))).toBe(',');
    expect(csvDelimiterOf(request({ delimiter: 'semicolon' }, { 'accept-language': 'en' }))).toBe(
      ';',
    );
  });

  it.each([';', 'tab', '', 'SEMICOLON', ['comma', 'comma']])(
    'refuses ?delimiter=%j with a 400 naming the field',
    (value) => {
      let error: unknown;
      try {
        csvDelimiterOf(request({ delimiter: value }));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'invalid', field: 'delimiter' });
    },
  );

  it('is ; for a request explicitly in Indonesian: the language cookie, or Accept-Language', () => {
    expect(csvDelimiterOf(request({}, {}, { sa_lang: 'id' }))).toBe(';');
    expect(csvDelimiterOf(request({}, { 'accept-language': 'id-ID,id;q=0.9,en;q=0.8' }))).toBe(';');
    expect(csvDelimiterOf(request({}, { 'accept-language': 'en' }, { sa_lang: 'id' }))).toBe(';');
  });

  it('is , without a language (scripts) and for any other first choice', () => {
    expect(csvDelimiterOf(request())).toBe(',');
    expect(csvDelimiterOf(request({}, { 'accept-language': 'en-US,id;q=0.5' }))).toBe(',');
    expect(csvDelimiterOf(request({}, { 'accept-language': 'id' }, { sa_lang: 'en' }))).toBe(',');
    expect(csvDelimiterOf(request({}, { 'accept-language': '*' }))).toBe(',');
  });
});

describe('firstLanguage', () => {
  it('is the most wanted language by q, then by order', () => {
    expect(firstLanguage('en;q=0.4, id-ID;q=0.9')).toBe('id');
    expect(firstLanguage('id, en')).toBe('id');
    expect(firstLanguage('id;q=0, en')).toBe('en');
    expect(firstLanguage('')).toBeNull();
  });
});
