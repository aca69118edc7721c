import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The boundaries of docs/architecture.md are ESLint rules; these prove that each rule fires
 * on a file that breaks it (and stays quiet on one that keeps it), as `npm run lint` in CI
 * would see them. The files are linted from stdin under the path they would have.
 */
const root = join(import.meta.dirname, '..');

// One ESLint for every case: starting it costs seconds, linting a few lines nothing.
const LINTER = `
import { ESLint } from 'eslint';
const cases = JSON.parse(await new Response(process.stdin).text());
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const [path, code] of cases) {
  const [result] = await eslint.lintText(code, { filePath: path });
  out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
`;

function lintAll(cases: [path: string, code: string][]): string[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINTER], {
    cwd: root,
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const importing = (name: string, from: string) =>
  `import { ${name} } from '${from}';\nexport { ${name} };\n`;

describe('the boundaries of the house', () => {
  const [
    identityBreach,
    platformBreach,
    platformUsesIdentity,
    sectorBreach,
    sectorKeeps,
    domainBreach,
    domainOwnTable,
    domainAsksService,
    readModel,
  ] = lintAll([
    ['src/identity/fixture.ts', importing('Position', '../competency/position.entity.js')],
    ['src/platform/auth/fixture.ts', importing('UsersService', '../../people/users.service.js')],
    ['src/platform/auth/fixture.ts', importing('User', '../../identity/user.entity.js')],
    ['modules/health/fixture.ts', importing('User', '../../src/identity/user.entity.js')],
    ['modules/health/fixture.ts', importing('TransactionService', '../../src/sector-api.js')],
    ['src/learning/fixture.ts', importing('Attempt', '../assessment/engine/assessment.entity.js')],
    ['src/learning/fixture.ts', importing('Course', './course.entity.js')],
    [
      'src/learning/fixture.ts',
      importing('AssessmentRecords', '../assessment/engine/assessment-records.js'),
    ],
    ['src/reporting/fixture.ts', importing('Course', '../learning/course.entity.js')],
  ]);

  it('keeps the layers below the domains from importing a domain', () => {
    const refused = expect.stringContaining('A layer below the domains imports no domain');
    expect(identityBreach).toEqual([refused]);
    expect(platformBreach).toEqual([refused]);
    // Identity is below the domains: the platform may use it.
    expect(platformUsesIdentity).toEqual([]);
  });

  it('keeps each domain to its own tables: another domain is asked through its services', () => {
    expect(domainBreach).toEqual([
      expect.stringContaining("uses another domain's tables only through its services"),
    ]);
    expect(domainOwnTable).toEqual([]);
    expect(domainAsksService).toEqual([]);
    // Reporting is the read model: it joins every domain's tables, and writes none.
    expect(readModel).toEqual([]);
  });

  it('keeps a sector to the core’s public face', () => {
    expect(sectorBreach).toEqual([expect.stringContaining('src/sector-api.ts')]);
    expect(sectorKeeps).toEqual([]);
  });
});
