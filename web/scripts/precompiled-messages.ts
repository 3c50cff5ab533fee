// The customer pages' words, parsed at build time: react-intl takes a message's ICU syntax tree as
// well as its text, and with every message parsed before it ships, the parser (7.7 KB gzipped, a
// twentieth of the booking page's JavaScript) is left out of the bundle. Dev and tests keep the
// text and the parser.
import { parse } from "@formatjs/icu-messageformat-parser";
import ts from "typescript";
import type { Plugin } from "vite";

const CATALOGUES = /\/features\/customer-pages\/i18n\/(messages|de|fr|es)\.ts$/;

/** `source` with every string value of an object literal replaced by its message's syntax tree. */
export function precompile(source: string, fileName = "catalogue.ts"): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && (ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer))) {
      const value = node.initializer;
      edits.push({ start: value.getStart(file), end: value.getEnd(), text: JSON.stringify(parse(value.text)) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edits.reverse().reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), source);
}

export function precompiledMessages(): Plugin {
  return {
    name: "precompiled-messages",
    apply: "build",
    enforce: "pre",
    config: () => ({
      resolve: { alias: [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: "@formatjs/icu-messageformat-parser/no-parser.js" }] },
    }),
    transform(code, id) {
      return CATALOGUES.test(id) ? { code: precompile(code, id), map: null } : null;
    },
  };
}
