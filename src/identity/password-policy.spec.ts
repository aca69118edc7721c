import { textOf } from '../platform/i18n/i18n.js';
import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it('accepts a long, personal-data-free password', () => {
    expect(
      passwordProblem('Kopi-Salak-Sidimpuan', { nip: '199003152015032001', email: 'nur@x.id' }),
    ).toBeNull();
  });

  it.each([
    ['pendek', {}, /minimal 10/],
    ['1234567890', {}, /umum/],
    ['Padangsidempuan', {}, /umum/],
    ['zzzzzzzzzzzz', {}, /umum/],
    ['x199003152015032001', { nip: '199003152015032001' }, /NIP/],
    ['nurhayati-2026', { email: 'nurhayati@dinkes.id' }, /e-mail/],
  ])('refuses %s', (password, owner, reason) => {
    const problem = passwordProblem(password, owner);
    expect(problem && textOf('id', problem)).toMatch(reason);
  });

  it('says why in the reader’s language', () => {
    expect(textOf('en', passwordProblem('pendek')!)).toBe(
      'The password must be at least 10 characters',
    );
  });
});
