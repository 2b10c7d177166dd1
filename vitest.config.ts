import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against real local D1 and R2. The migrations in `migrations/` are
// read here and applied by `test/setup.ts` before every test file.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // The bootstrap admin token of the tests (a deployment sets ADMIN_TOKEN as a secret).
          bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token", LOG_LEVEL: "warn" },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
      // Stylesheets the Worker serves are imported as text (`?raw`, see wrangler.toml); Vitest
      // blanks CSS it is not told to process.
      css: { include: [/\.css\?raw$/] },
      testTimeout: 60_000,
    },
  };
});
