import { t } from './i18n.js';
import { messages } from './messages.js';

describe('message catalogue', () => {
  it('has every key in both languages, with the same placeholders', () => {
    const id = Object.keys(messages.id).sort();
    expect(Object.keys(messages.en).sort()).toEqual(id);
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of id) {
      expect([key, placeholders(messages.en[key as keyof typeof messages.en])]).toEqual([
        key,
        placeholders(messages.id[key as keyof typeof messages.id]),
      ]);
    }
  });

  it('fills placeholders and falls back to the key', () => {
    expect(t('en', 'dashboard.welcome', { name: 'Siti' })).toBe('Welcome, Siti.');
    expect(t('id', 'dashboard.welcome', { name: 'Siti' })).toBe('Selamat datang, Siti.');
    expect(t('id', 'no.such.key')).toBe('no.such.key');
  });
});
