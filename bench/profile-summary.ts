/**
 * `node dist-bench/bench/profile-summary.js <file.cpuprofile|dir> [top]`: where a CPU profile's
 * time went, by package (typeorm, mysql2, @nestjs/…, the app's own src/, Node's internals,
 * garbage collection, idle) and by function. The profiles come from `node --cpu-prof`; with
 * `BENCH_PROFILE=<dir>` the benchmarks start the app that way (every worker writes its own).
 * The recipe is in the README's performance section.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to: node_modules/<pkg>, the app's folder, or Node itself. */
export function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node (internals)';
  const app = url.match(/\/dist\/(src|modules)\/([^/]+)/);
  return app ? `app ${app[1]}/${app[2]}` : url;
}

function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]));
  return self;
}

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
}

function add(into: Map<string, number>, key: string, micros: number): void {
  into.set(key, (into.get(key) ?? 0) + micros);
}

function print(title: string, totals: Map<string, number>, all: number, top: number): void {
  console.log(`\n${title}`);
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${((100 * micros) / all).toFixed(1).padStart(6)} %  ${(micros / 1000).toFixed(0).padStart(8)} ms  ${key}`,
    );
}

function main(): void {
  const [path, topArg] = process.argv.slice(2);
  if (!path) throw new Error('usage: profile-summary <file.cpuprofile|directory> [top]');
  const top = Number(topArg ?? 25);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let all = 0;
  for (const file of files(path)) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const [id, micros] of selfTimes(profile)) {
      const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
      const pkg = packageOf(url, functionName);
      all += micros;
      add(byPackage, pkg, micros);
      add(byFunction, `${functionName || '(anonymous)'}  ${pkg}:${lineNumber + 1}`, micros);
    }
  }
  console.log(`${files(path).length} profile(s), ${(all / 1e6).toFixed(1)} s sampled`);
  print('self time by package', byPackage, all, top);
  print('self time by function', byFunction, all, top);
}

main();
