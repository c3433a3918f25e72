import module from 'node:module';
import path from 'node:path';

/**
 * Node's module compile cache: V8's compiled code of every module loaded, kept on disk between starts
 * (about a fifth of loading the modules, the largest part of a second start). Imported first by
 * main.ts, so it covers everything loaded after it. Kept beside the installed packages
 * (node_modules/.cache), keyed by each file's content; when that folder is not writable, Node
 * compiles as usual. NODE_COMPILE_CACHE, when set, chooses the folder instead.
 */
const nodeModules = path.resolve(require.resolve('reflect-metadata'), '../..');
module.enableCompileCache(process.env.NODE_COMPILE_CACHE || path.join(nodeModules, '.cache', 'tsunagi-compile'));

/** Writes what this start compiled now, rather than at exit: a start that is killed keeps it too. */
export const keepCompiledModules = (): void => module.flushCompileCache();
