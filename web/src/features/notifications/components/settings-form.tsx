import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { CheckField } from "../../../components/ui/check-field";
import { Field } from "../../../components/ui/field";
import { SaveBar } from "../../../components/ui/save-bar";
import { useToast } from "../../../components/ui/toast";
import type { Schemas } from "../../../lib/api-client";
import { PLANS_PATH } from "../../billing/lib/words";
import { useUpdateNotificationSettings } from "../api/notifications";
import { explainError, formatRule, sameOffsets, sortOffsets } from "../utils/notifications";
import { placeProblem, ProblemAlert, type ShownProblem } from "./problem-alert";
import { RemindersEditor } from "./reminders-editor";

interface Values {
  email_enabled: boolean;
  whatsapp_enabled: boolean;
  whatsapp_phone_number_id: string;
  whatsapp_access_token: string;
  reminder_offsets_min: number[];
  sender_name: string;
  reply_to: string;
}

const FIELDS = ["email_enabled", "whatsapp_enabled", "whatsapp_phone_number_id", "whatsapp_access_token", "reminder_offsets_min", "sender_name", "reply_to"] as const;

function valuesOf(settings: Schemas["NotificationSettings"]): Values {
  return {
    email_enabled: settings.email_enabled,
    whatsapp_enabled: settings.whatsapp_enabled,
    whatsapp_phone_number_id: settings.whatsapp_phone_number_id ?? "",
    whatsapp_access_token: "",
    reminder_offsets_min: sortOffsets(settings.reminder_offsets_min),
    sender_name: settings.sender_name ?? "",
    reply_to: settings.reply_to ?? "",
  };
}

/** What a PUT carries: only the fields that changed (blanks as null), and a new token if one was typed. */
export function settingsChanges(settings: Schemas["NotificationSettings"], values: Values): Schemas["NotificationSettingsUpdate"] {
  const changes: Schemas["NotificationSettingsUpdate"] = {};
  const blank = (text: string) => text.trim() || null;
  if (values.email_enabled !== settings.email_enabled) changes.email_enabled = values.email_enabled;
  if (values.whatsapp_enabled !== settings.whatsapp_enabled) changes.whatsapp_enabled = values.whatsapp_enabled;
  const phone = blank(values.whatsapp_phone_number_id.replace(/\s+/g, ""));
  if (phone !== settings.whatsapp_phone_number_id) changes.whatsapp_phone_number_id = phone;
  if (!sameOffsets(values.reminder_offsets_min, settings.reminder_offsets_min)) changes.reminder_offsets_min = sortOffsets(values.reminder_offsets_min);
  if (blank(values.sender_name) !== settings.sender_name) changes.sender_name = blank(values.sender_name);
  if (blank(values.reply_to) !== settings.reply_to) changes.reply_to = blank(values.reply_to);
  const token = values.whatsapp_access_token.trim();
  if (token) changes.whatsapp_access_token = token;
  return changes;
}

/**
 * Channels, reminders and sender. A save sends what changed with the version it was read at; the
 * WhatsApp access token is write-only: the page only knows whether one is stored.
 */
export function SettingsForm({ settings, businessName, readOnly, whatsappAllowed, onReload }: {
  settings: Schemas["NotificationSettings"];
  businessName: string;
  readOnly: boolean;
  whatsappAllowed: boolean;
  onReload: () => void;
}) {
  const toast = useToast();
  const update = useUpdateNotificationSettings();
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const { register, control, handleSubmit, setError, reset, watch, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: valuesOf(settings),
  });
  const { errors } = formState;
  const dirty = Object.keys(settingsChanges(settings, watch())).length > 0;
  const tokenSet = settings.whatsapp_access_token_set;

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const changes = settingsChanges(settings, values);
    if (!Object.keys(changes).length) {
      toast("Nothing to save: no changes.", "info");
      return;
    }
    try {
      await update.mutateAsync({ ...changes, version: settings.version });
    } catch (error) {
      const found = explainError(error, "These settings");
      if (found.kind === "plan" && found.feature === "whatsapp") setError("whatsapp_enabled", { type: "server", message: found.message });
      setProblem(placeProblem(found, FIELDS, setError));
      return;
    }
    toast("Notification settings saved.");
  });

  return (
    <form className="settings-form" aria-label="Notification settings" noValidate onSubmit={(e) => void submit(e)}>
      {problem && <ProblemAlert problem={problem} onReload={onReload} />}
      <fieldset className="stack-lg" disabled={readOnly}>
        <legend className="sr-only">Notification settings</legend>
        <section className="card form-section" aria-labelledby="s-channels">
          <div className="form-section-intro">
            <h2 id="s-channels">Channels</h2>
            <p className="muted">How customers hear from you. Each message goes on every channel that is on and that the customer can receive.</p>
          </div>
          <div className="form-section-fields">
            <div className="channel-box">
              <h3 className="channel-head">E-mail</h3>
              <CheckField
                label="Send e-mails"
                hint="Confirmations, changes and reminders to customers who gave an e-mail address, and new bookings to staff."
                error={errors.email_enabled?.message}
                {...register("email_enabled")}
              />
            </div>
            <div className="channel-box">
              <h3 className="channel-head">
                <span>WhatsApp</span>
                {!whatsappAllowed && <span className="badge badge-warning">Not in your plan</span>}
              </h3>
              {!whatsappAllowed && (
                <Alert tone="warning" actions={<Link className="btn btn-sm" to={PLANS_PATH}>Compare plans</Link>}>
                  Your plan does not include WhatsApp messages. Upgrade your plan to send them; you can enter the account details now.
                </Alert>
              )}
              <CheckField
                label="Send WhatsApp messages"
                hint={whatsappAllowed ? "To customers who gave a mobile number. If a WhatsApp message fails, an e-mail goes instead." : "Not included in your plan."}
                error={errors.whatsapp_enabled?.message}
                disabled={!whatsappAllowed}
                {...register("whatsapp_enabled")}
              />
              <div className="grid-2">
                <Field
                  label="Phone number ID"
                  optional={!settings.whatsapp_enabled}
                  hint="From WhatsApp Manager in your Meta Business account: the ID of the sending number (digits only), not the number itself."
                  error={errors.whatsapp_phone_number_id?.message}
                >
                  <input
                    inputMode="numeric"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={32}
                    placeholder="104857362910384"
                    {...register("whatsapp_phone_number_id", { validate: (v) => formatRule("whatsapp_phone_number_id")(v.replace(/\s+/g, "")) })}
                  />
                </Field>
                <Field
                  label={
                    <>
                      Access token{" "}
                      {tokenSet ? <span className="badge badge-success">Token stored</span> : <span className="badge badge-muted">No token yet</span>}
                    </>
                  }
                  hint={
                    tokenSet
                      ? "A token is stored and is never shown. Leave this empty to keep it, or paste a new one to replace it."
                      : "A permanent token of your Meta app's system user. It is stored securely and never shown again."
                  }
                  error={errors.whatsapp_access_token?.message}
                >
                  <input
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    autoCapitalize="none"
                    placeholder={tokenSet ? "Leave empty to keep the stored token" : undefined}
                    {...register("whatsapp_access_token", { validate: formatRule("whatsapp_access_token") })}
                  />
                </Field>
              </div>
            </div>
          </div>
        </section>
        <section className="card form-section" aria-labelledby="s-reminders">
          <div className="form-section-intro">
            <h2 id="s-reminders">Reminders</h2>
            <p className="muted">When customers are reminded of their appointment. Changing them applies to every upcoming booking.</p>
          </div>
          <div className="form-section-fields">
            <Controller
              control={control}
              name="reminder_offsets_min"
              render={({ field, fieldState }) => (
                <RemindersEditor value={field.value} onChange={field.onChange} readOnly={readOnly} error={fieldState.error?.message} />
              )}
            />
          </div>
        </section>
        <section className="card form-section" aria-labelledby="s-sender">
          <div className="form-section-intro">
            <h2 id="s-sender">Sender</h2>
            <p className="muted">Who the e-mails say they are from, and where replies go.</p>
          </div>
          <div className="form-section-fields grid-2">
            <Field label="Sender name" optional hint={`Empty: your business's name (${businessName}).`} error={errors.sender_name?.message}>
              <input maxLength={100} {...register("sender_name")} />
            </Field>
            <Field label="Reply-to address" optional hint="Where customers' replies go. Empty: to the business's contact e-mail." error={errors.reply_to?.message}>
              <input
                type="email"
                autoCapitalize="none"
                spellCheck={false}
                placeholder="hello@example.com"
                {...register("reply_to", { validate: (v) => !v.trim() || /^\S+@\S+\.\S+$/.test(v.trim()) || "Enter an e-mail address like name@example.com." })}
              />
            </Field>
          </div>
        </section>
      </fieldset>
      {!readOnly && (
        <SaveBar busy={formState.isSubmitting} label={formState.isSubmitting ? "Saving…" : "Save changes"} dirty={dirty} onDiscard={() => reset()} />
      )}
    </form>
  );
}
