import { useRef, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import type { Schemas } from "../../../lib/api-client";
import { addDays, formatDateTime, todayIn, zonedTimeToInstant } from "../../../lib/zoned";
import { useResetTemplate, useSaveTemplate } from "../api/notifications";
import {
  audienceLabel, explainError, fillTemplate, formatRule, insertPlaceholder, MAX_WHATSAPP_VARIABLES, messageDescription, placeholderHint,
} from "../utils/notifications";
import { placeProblem, ProblemAlert, type ShownProblem } from "./problem-alert";

type Template = Schemas["NotificationTemplate"];

interface Values {
  subject: string;
  body: string;
  name: string;
  language: string;
  parameters: string[];
}

const FIELDS = ["subject", "body", "name", "language", "parameters"] as const;

export interface Sample {
  businessName: string;
  staffName: string;
  timeZone: string;
  locale: string;
}

/** Example values for the preview: what a customer of this business might see. */
export function sampleValues({ businessName, staffName, timeZone, locale }: Sample): Record<string, string> {
  const start = zonedTimeToInstant(addDays(todayIn(timeZone), 2), 10 * 60 + 30, timeZone); // the day after tomorrow, 10:30
  return {
    customer_name: "Alex Morgan",
    service: "Haircut",
    staff: staffName || "Sam",
    location: "Main studio",
    start_time: formatDateTime(start, timeZone, locale, { weekday: "long", month: "long" }),
    manage_link: `${globalThis.location?.origin ?? ""}/manage-booking?token=…`,
    business_name: businessName,
  };
}

/**
 * One message on one channel: e-mail subject and body with placeholder chips and a preview, or the
 * approved WhatsApp template's name, language and variables. Save it, or go back to the default.
 */
export function TemplateEditor({ template, readOnly, notice, sample, onDone, onReload }: {
  template: Template;
  readOnly: boolean;
  notice?: string | undefined;
  sample: Sample;
  /** After a save or a reset, with what to say. */
  onDone: (said: string) => void;
  onReload: () => void;
}) {
  const save = useSaveTemplate();
  const resetTemplate = useResetTemplate();
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const content = template.content;
  const { register, control, handleSubmit, setError, setValue, getValues, watch, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: {
      subject: content.subject ?? "",
      body: content.body ?? "",
      name: content.name ?? "",
      language: content.language ?? "",
      parameters: content.parameters ?? [],
    },
  });
  const { errors } = formState;
  const email = template.channel === "email";

  const showProblem = (error: unknown) => {
    const found = explainError(error, "This template");
    setProblem(placeProblem(found, FIELDS, setError));
  };

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const body: Schemas["NotificationTemplateUpdate"] = email
      ? { subject: values.subject, body: values.body }
      : { name: values.name.trim(), language: values.language.trim(), parameters: values.parameters };
    // A custom wording is replaced only as it was read (409 stale_version otherwise).
    if (template.custom && template.version) body.version = template.version;
    try {
      await save.mutateAsync({ key: template.key, body });
    } catch (error) {
      showProblem(error);
      return;
    }
    onDone("saved.");
  });

  const reset = async () => {
    setProblem(null);
    try {
      await resetTemplate.mutateAsync(template.key);
    } catch (error) {
      setConfirming(false);
      showProblem(error);
      return;
    }
    onDone("is back to the default wording.");
  };

  return (
    <form className="stack template-form" aria-label="Template" noValidate onSubmit={(e) => void submit(e)}>
      <p className="template-meta">
        {template.custom ? <span className="badge badge-brand">Custom</span> : <span className="badge badge-muted">Default</span>}{" "}
        <span className="muted">
          {audienceLabel(template.audience)}. {messageDescription(template.message)}
        </span>
      </p>
      {notice && <Alert tone="info">{notice}</Alert>}
      {problem && <ProblemAlert problem={problem} onReload={onReload} />}
      <fieldset className="stack" disabled={readOnly}>
        <legend className="sr-only">Wording</legend>
        {email ? (
          <EmailFields template={template} readOnly={readOnly} sample={sample} register={register} watch={watch} getValues={getValues} setValue={setValue} errors={errors} submitted={formState.isSubmitted} />
        ) : (
          <>
            <Alert tone="info">
              WhatsApp only sends templates approved in your Meta Business account. Name the approved template and its language, then choose what fills each of its
              variables {"{{1}}, {{2}}"}… in order.
            </Alert>
            <div className="grid-2">
              <Field label="Template name" hint="Exactly as approved in WhatsApp Manager: lower-case letters, digits and _." error={errors.name?.message}>
                <input autoCapitalize="none" spellCheck={false} autoComplete="off" maxLength={512} {...register("name", { required: "Enter the template's name.", validate: formatRule("name") })} />
              </Field>
              <Field label="Language" hint="The approved language's code, such as en, en_GB or de." error={errors.language?.message}>
                <input autoCapitalize="none" spellCheck={false} autoComplete="off" maxLength={6} {...register("language", { required: "Enter the language code.", validate: formatRule("language") })} />
              </Field>
            </div>
            <Controller
              control={control}
              name="parameters"
              render={({ field, fieldState }) => (
                <ParametersEditor value={field.value} onChange={field.onChange} placeholders={template.placeholders} readOnly={readOnly} error={fieldState.error?.message} />
              )}
            />
          </>
        )}
      </fieldset>
      <div className="form-buttons">
        {!readOnly && (
          <Button type="submit" variant="primary" busy={formState.isSubmitting}>
            {formState.isSubmitting ? "Saving…" : "Save template"}
          </Button>
        )}
        {!readOnly && template.custom && (
          <span className="row-actions template-reset">
            {confirming ? (
              <>
                <span className="confirm-text" role="status">
                  Go back to the default wording?
                </span>
                <Button variant="danger" size="sm" busy={resetTemplate.isPending} onClick={() => void reset()}>
                  Yes, reset
                </Button>
                <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
                  Keep mine
                </Button>
              </>
            ) : (
              <Button variant="danger-ghost" onClick={() => setConfirming(true)}>
                Reset to default
              </Button>
            )}
          </span>
        )}
      </div>
    </form>
  );
}

type Form = ReturnType<typeof useForm<Values>>;

function EmailFields({ template, readOnly, sample, register, watch, getValues, setValue, errors, submitted }: {
  template: Template;
  readOnly: boolean;
  sample: Sample;
  register: Form["register"];
  watch: Form["watch"];
  getValues: Form["getValues"];
  setValue: Form["setValue"];
  errors: Form["formState"]["errors"];
  submitted: boolean;
}) {
  const inputs = useRef<{ subject: HTMLInputElement | null; body: HTMLTextAreaElement | null }>({ subject: null, body: null });
  // The chips insert where the user was typing: the body unless the subject had the focus last.
  const target = useRef<"subject" | "body">("body");
  const [values] = useState(() => sampleValues(sample));
  const subject = register("subject", { required: "Enter a subject." });
  const body = register("body", { required: "Enter the message." });

  const insert = (name: string) => {
    const field = target.current;
    const element = inputs.current[field];
    const { text, caret } = insertPlaceholder(getValues(field), element?.selectionStart ?? null, element?.selectionEnd ?? null, name);
    setValue(field, text, { shouldDirty: true, shouldValidate: submitted });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(caret, caret);
    });
  };

  return (
    <>
      <Field label="Subject" error={errors.subject?.message}>
        <input
          maxLength={200}
          {...subject}
          ref={(el) => {
            subject.ref(el);
            inputs.current.subject = el;
          }}
          onFocus={() => (target.current = "subject")}
        />
      </Field>
      <Field label="Message" hint="Plain text: blank lines start paragraphs and links become clickable in the e-mail." error={errors.body?.message}>
        <textarea
          rows={12}
          maxLength={5000}
          {...body}
          ref={(el) => {
            body.ref(el);
            inputs.current.body = el;
          }}
          onFocus={() => (target.current = "body")}
        />
      </Field>
      {template.placeholders.length > 0 && (
        <div className="field">
          <span className="field-label">Placeholders</span>
          <p className="hint">Click one to insert it where the cursor is, in the subject or the body. It is replaced by the real value when the message is sent.</p>
          <ul className="chip-list" aria-label="Placeholders">
            {template.placeholders.map((name) => (
              <li key={name}>
                <button
                  type="button"
                  className="chip chip-button"
                  title={placeholderHint(name)}
                  disabled={readOnly}
                  aria-label={`Insert {${name}}: ${placeholderHint(name) || name}`}
                  // Keep the caret where it is: the field the user was typing in stays the target.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(name)}
                >
                  {`{${name}}`}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <details className="preview">
        <summary>Preview with example details</summary>
        <div className="preview-mail" data-testid="preview">
          <p className="preview-subject">{fillTemplate(watch("subject"), values)}</p>
          <div className="preview-body">{fillTemplate(watch("body"), values)}</div>
        </div>
      </details>
    </>
  );
}

function ParametersEditor({ value, onChange, placeholders, readOnly, error }: {
  value: string[];
  onChange: (parameters: string[]) => void;
  placeholders: string[];
  readOnly: boolean;
  error?: string | undefined;
}) {
  const move = (index: number, by: number) => {
    const next = [...value];
    const [item] = next.splice(index, 1);
    if (item !== undefined) next.splice(index + by, 0, item);
    onChange(next);
  };
  return (
    <fieldset className={`field${error ? " has-error" : ""}`}>
      <legend className="field-label">Variables</legend>
      <ol className="param-list">
        {value.length === 0 && <li className="muted">No variables: the template's text is sent as it is.</li>}
        {value.map((name, index) => {
          const variable = `{{${index + 1}}}`;
          const known = placeholders.includes(name) ? placeholders : [name, ...placeholders];
          return (
            <li key={index} className="param-row">
              <span className="param-var" aria-hidden="true">
                {variable}
              </span>
              <select className="select-sm" aria-label={`Variable ${variable}`} value={name} onChange={(e) => onChange(value.map((p, i) => (i === index ? e.target.value : p)))}>
                {known.map((p) => (
                  <option key={p} value={p}>
                    {`{${p}}`}
                  </option>
                ))}
              </select>
              {!readOnly && (
                <span className="param-actions">
                  <Button variant="ghost" size="sm" aria-label={`Move ${variable} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                    ↑
                  </Button>
                  <Button variant="ghost" size="sm" aria-label={`Move ${variable} down`} disabled={index === value.length - 1} onClick={() => move(index, 1)}>
                    ↓
                  </Button>
                  <Button variant="danger-ghost" size="sm" aria-label={`Remove ${variable}`} onClick={() => onChange(value.filter((_, i) => i !== index))}>
                    Remove
                  </Button>
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <div>
          <Button size="sm" disabled={value.length >= MAX_WHATSAPP_VARIABLES || placeholders.length === 0} onClick={() => onChange([...value, placeholders[0] ?? ""])}>
            Add variable
          </Button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
