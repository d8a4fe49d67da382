import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The API runs on its own port in development (`pnpm dev`); the built app is served by the API itself.
export default defineConfig({
  plugins: [svelte()],
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.API_PORT ?? '8787'}` } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 400 },
});
