import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import ts from 'typescript';
import { projectRoot } from './config/paths.js';

/** The files under `dir` whose name matches. */
function filesIn(dir: string, name: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesIn(path, name);
    return name.test(entry.name) ? [path] : [];
  });
}

const ROUTES = ['Get', 'Post', 'Put', 'Patch', 'Delete'];
const decoratorNames = (node: ts.Node) =>
  (ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []).map((d) =>
    ts.isCallExpression(d.expression) ? d.expression.expression.getText() : d.expression.getText(),
  );

/** Routed methods of the API (not the ones OpenAPI leaves out) without a declared return type. */
function undeclaredReturns(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || decoratorNames(node).includes('ApiExcludeController'))
      return;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const decorators = decoratorNames(member);
      if (!decorators.some((d) => ROUTES.includes(d)) || decorators.includes('ApiExcludeEndpoint'))
        continue;
      if (!member.type)
        found.push(`${relative(projectRoot, file)}: ${node.name?.text}.${member.name.getText()}`);
    }
  });
  return found;
}

describe('OpenAPI plugin metadata (src/metadata.ts)', () => {
  it('is up to date with the DTOs, responses and controllers', () => {
    // Exits non-zero, naming `npm run openapi:metadata`, when metadata.ts is stale.
    expect(() =>
      execFileSync(
        process.execPath,
        [join(projectRoot, 'scripts/openapi-metadata.mjs'), '--check'],
        {
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  }, 60_000);

  it('names each DTO and response class once: OpenAPI keys its schemas by class name', () => {
    // Two classes of one name would be one schema in the document, the other silently lost.
    const seen = new Map<string, string[]>();
    for (const file of filesIn(join(projectRoot, 'src'), /\.(dto|response)\.ts$/)) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/^export class (\w+)/gm))
        seen.set(name, [...(seen.get(name) ?? []), relative(projectRoot, file)]);
    }
    const twice = [...seen].filter(([, files]) => files.length > 1);
    expect(Object.fromEntries(twice)).toEqual({});
  });

  it('sees a declared return type on every API controller method (the response the plugin documents)', () => {
    const controllers = filesIn(join(projectRoot, 'src'), /\.controller\.ts$/);
    expect(controllers.length).toBeGreaterThan(10);
    expect(controllers.flatMap(undeclaredReturns)).toEqual([]);
  });
});
