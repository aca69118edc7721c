import { PasswordService } from './password.service.js';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('hashes human passwords with scrypt and verifies them', async () => {
    const hash = await passwords.hash('Salak-Manis-Sidimpuan');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await passwords.verify('Salak-Manis-Sidimpuan', hash)).toBe(true);
    expect(await passwords.verify('salak-manis-sidimpuan', hash)).toBe(false);
  });

  it('hashes generated secrets with salted SHA-256, each salt different', async () => {
    const a = passwords.hashGenerated('Sa-abcdefghijkl');
    expect(a).not.toBe(passwords.hashGenerated('Sa-abcdefghijkl'));
    expect(await passwords.verify('Sa-abcdefghijkl', a)).toBe(true);
    expect(await passwords.verify('Sa-abcdefghijkm', a)).toBe(false);
  });

  it('refuses unknown hash formats', async () => {
    expect(await passwords.verify('x', 'plain$x')).toBe(false);
  });
});
