import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Pages and the signed-in shell are split with React.lazy (src/routes/router.tsx), and antd is left
// to the bundler's automatic splitting so that each page pulls only the components it uses (the
// login page loads ~300 kB gzipped in all, against ~500 kB with antd as one vendor chunk). React and
// TanStack Query change rarely, so they get one long-lived chunk of their own.
// The API server (the lead runs it on port 3000); LIUDONG_API_TARGET points the dev proxy elsewhere.
const apiTarget = process.env.LIUDONG_API_TARGET ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The largest chunk is React (~350 kB before gzip); warn if anything grows past that.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/,
              priority: 20,
            },
          ],
        },
      },
    },
  },
});
