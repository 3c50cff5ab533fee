// @vitest-environment node
// The client's types are generated from openapi.json; openapi.json itself is checked against the
// API's routes by tests/system/test_web_openapi.py. Together: a route change that is not regenerated
// fails the suite (`make api-types` regenerates both).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

it("src/lib/api-schema.d.ts is what openapi-typescript makes of openapi.json", () => {
  const out = join(mkdtempSync(join(tmpdir(), "api-types-")), "schema.d.ts");
  const cli = join(process.cwd(), "node_modules", "openapi-typescript", "bin", "cli.js");
  execFileSync(process.execPath, [cli, "openapi.json", "--default-non-nullable", "false", "-o", out], { stdio: "pipe" });
  expect(readFileSync("src/lib/api-schema.d.ts", "utf8")).toBe(readFileSync(out, "utf8"));
}, 30_000);
