// @vitest-environment node
import { parse } from "@formatjs/icu-messageformat-parser";
import { createIntl } from "react-intl";
import { precompile } from "./precompiled-messages";

it("replaces each message with its syntax tree, which formats as the text did", () => {
  const source = `import type { Catalogue } from "./messages";\nconst messages: Catalogue = {\n  "a.b": "Hallo {name}",\n  "c": "{count, plural, one {# Termin} other {# Termine}}",\n};\nexport default messages;\n`;
  const out = precompile(source);
  expect(out).toContain(`"a.b": ${JSON.stringify(parse("Hallo {name}"))}`);
  const tree = JSON.parse(out.slice(out.indexOf('"c": ') + 5, out.lastIndexOf(",\n};"))) as ReturnType<typeof parse>;
  expect(createIntl({ locale: "de", messages: { c: tree } }).formatMessage({ id: "c" }, { count: 2 })).toBe("2 Termine");
  expect(out.startsWith('import type { Catalogue } from "./messages";')).toBe(true);
});
