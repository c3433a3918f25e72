import path from 'node:path';
import { defineConfig } from 'vite';

// The console (つなぎ コンソール): built into dist/console, which the service serves at `/`.
// No React plugin: Vite compiles TSX itself (tsconfig's "jsx": "react-jsx"); the console has no dev server
// of its own — `npm start` serves the built files, same origin as the API.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/console'),
    emptyOutDir: true,
    // The API's answers are personal data: no source maps in the served bundle.
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // React libraries mark modules "use client" for server components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
