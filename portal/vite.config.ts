// The portal builds into static files (dist/) that any web server can serve beside a node:
// relative paths, no server of ours at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2500 },
  esbuild: { jsx: 'automatic' },
});
