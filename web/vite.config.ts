// Builds the dashboard into web/dist, which `securescore serve` hands out as static files.
// Relative asset paths keep the bundle servable from any prefix; everything is bundled (the
// server's Content-Security-Policy is `default-src 'self'`, so no CDN, no inline script).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` talks to a running `securescore serve` (or the test fixture server).
    proxy: { '/api': process.env.SECURESCORE_API ?? 'http://127.0.0.1:8080' },
  },
});
