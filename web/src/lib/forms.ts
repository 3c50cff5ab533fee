// The API's 422 answers onto a react-hook-form form: each reason in `details.fields` goes onto the
// field of the same path, and what names no field of the form becomes the form's own message. A
// field's error clears when the field is edited and passes its own rules (react-hook-form re-checks
// a field on change once the form has been submitted).
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError } from "./api-client";

/** The API's reason in words a person reads: "Expected `int` >= 5" → "Use 5 or more.". */
export function humanizeReason(reason: string): string {
  const text = String(reason || "").trim();
  if (!text) return "This value isn't valid.";
  let m = /^Expected `(?:int|float)` >= (-?[\d.]+)/.exec(text);
  if (m) return `Use ${m[1]} or more.`;
  m = /^Expected `(?:int|float)` <= (-?[\d.]+)/.exec(text);
  if (m) return `Use ${m[1]} or less.`;
  m = /^Expected `(?:str|array)` of length >= (\d+)/.exec(text);
  if (m) return m[1] === "1" ? "This field is required." : `Use at least ${m[1]} characters.`;
  m = /^Expected `(?:str|array)` of length <= (\d+)/.exec(text);
  if (m) return `Use at most ${m[1]} characters.`;
  if (/^Expected `str` matching regex/.test(text)) return "This doesn't look right; check the format.";
  if (/^Expected `str`, got `null`$/.test(text) || /required/i.test(text) && text.startsWith("Object missing")) {
    return "This field is required.";
  }
  const sentence = text.replace(/`/g, "");
  const capital = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Put an API refusal onto the form. Returns the message for the form as a whole (the error's own
 * message, plus the reasons of fields the form does not show), or null when every reason found its
 * field.
 */
export function applyApiError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldNames: readonly string[],
  rename: (apiField: string) => string = (f) => f,
): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  const leftOver: string[] = [];
  let placed = 0;
  for (const [apiField, reason] of Object.entries(error.fields)) {
    const name = rename(apiField.replace(/^\$\./, ""));
    if (fieldNames.includes(name)) {
      setError(name as Path<T>, { type: "server", message: humanizeReason(reason) }, { shouldFocus: placed === 0 });
      placed += 1;
    } else {
      leftOver.push(`${apiField}: ${humanizeReason(reason)}`);
    }
  }
  if (placed && !leftOver.length) return "Please correct the highlighted fields.";
  return [error.message, ...leftOver].join(" ");
}
