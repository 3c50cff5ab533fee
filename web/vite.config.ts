/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompiledMessages } from "./scripts/precompiled-messages.ts";

// One build serves every stage: the API's address is read at run time from /config.json.
export default defineConfig({
  plugins: [react(), precompiledMessages()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true },
  // The manifest lets bench/web_bundle.py follow what each screen loads.
  build: { target: "es2022", sourcemap: true, manifest: true, chunkSizeWarningLimit: 600 },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
    css: false,
  },
});
