// Loads the service's TypeScript the way `nest build` compiles it, for tests that run it in a child
// process (`node --require ./test/support/typescript-hooks.cjs src/main.ts`): tsx and Node's own type
// stripping emit no decorator metadata, without which Nest injects nothing.
const fs = require('node:fs');
const path = require('node:path');
const { registerHooks } = require('node:module');
const { fileURLToPath } = require('node:url');
const ts = require('typescript');

const tsconfig = ts.getParsedCommandLineOfConfigFile(path.join(__dirname, '../../tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  },
});
const compilerOptions = { ...tsconfig.options, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, sourceMap: false, inlineSourceMap: true };

registerHooks({
  // `import … from './config/config'` names no extension, as tsc allows.
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!(specifier.startsWith('.') || path.isAbsolute(specifier)) || !context.parentURL?.endsWith('.ts')) throw error;
      for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
        try {
          return nextResolve(candidate, context);
        } catch {
          // try the next
        }
      }
      throw error;
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
    const fileName = fileURLToPath(url);
    const { outputText } = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), { compilerOptions, fileName });
    return { format: 'commonjs', source: outputText, shortCircuit: true };
  },
});
