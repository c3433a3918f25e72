import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface RuntimeImports {
  /** Source files the entry loads at start, following static imports (types left out: they are erased). */
  files: Set<string>;
  /** Each package a static import names, with the first file that names it. */
  packages: Map<string, string>;
}

/**
 * What a production start loads before any code decides otherwise: the static import graph from the
 * entry, as compiled (`import type`, and imports of types only, are erased). `require()` and `import()`
 * are loads the code chooses at run time, so they are not followed.
 */
export function runtimeImports(entry: string): RuntimeImports {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [path.resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) pending.push(resolveSource(path.dirname(file), specifier, file));
      else if (!isBuiltin(specifier) && !packages.has(packageName(specifier))) packages.set(packageName(specifier), file);
    }
  }
  return { files, packages };
}

function staticImports(file: string): string[] {
  if (!file.endsWith('.ts')) return [];
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !erased(statement.importClause)) found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      found.push((statement.moduleReference.expression as ts.StringLiteral).text);
    }
  }
  return found;
}

/** `import type …` and `import { type A, type B } …` leave nothing in the compiled file; a bare `import 'x'` stays. */
function erased(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function resolveSource(dir: string, specifier: string, from: string): string {
  const base = path.resolve(dir, specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
