import { useId, useState } from "react";
import { Button } from "../../../components/ui/button";
import {
  addOffset, describeOffsets, formatOffset, MAX_OFFSETS, OFFSET_PRESETS, OFFSET_UNITS, parseOffset, sameOffsets, sortOffsets, type OffsetUnit,
} from "../utils/notifications";

/** The reminder offsets as chips, with an "add" row and presets. `error` is the API's reason for them. */
export function RemindersEditor({ value, onChange, readOnly, error }: { value: number[]; onChange: (offsets: number[]) => void; readOnly: boolean; error?: string | undefined }) {
  const id = useId();
  const [amount, setAmount] = useState("");
  const [unit, setUnit] = useState<OffsetUnit>("hours");
  const [mistake, setMistake] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const offsets = sortOffsets(value);
  const full = offsets.length >= MAX_OFFSETS;
  const shown = mistake ?? error;
  const summary = offsets.length ? `Reminders go ${describeOffsets(offsets)} the appointment.` : "No reminders: customers get the confirmation only.";

  const change = (next: number[], said: string) => {
    setMistake(null);
    onChange(next);
    setAnnouncement(said);
  };

  const add = () => {
    const parsed = parseOffset(amount, unit);
    const result = "error" in parsed ? parsed : addOffset(offsets, parsed.minutes);
    if ("error" in result) {
      setMistake(result.error);
      return;
    }
    setAmount("");
    change(result.offsets, `Added a reminder ${"minutes" in parsed ? formatOffset(parsed.minutes) : ""}.`);
  };

  return (
    <fieldset className={`field${shown ? " has-error" : ""}`} aria-describedby={`${id}-summary`}>
      <legend className="field-label">Reminders</legend>
      {offsets.length > 0 && (
        <ul className="chip-list" aria-label="Reminders">
          {offsets.map((minutes) => (
            <li key={minutes} className="chip offset-chip">
              <span>{formatOffset(minutes)}</span>
              {!readOnly && (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove the reminder ${formatOffset(minutes)}`}
                  onClick={() => change(offsets.filter((m) => m !== minutes), `Removed the reminder ${formatOffset(minutes)}.`)}
                >
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="hint" id={`${id}-summary`}>
        {summary}
      </p>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      {!readOnly && (
        <div className="offset-add">
          <label htmlFor={`${id}-amount`} className="sr-only">
            How long before the appointment
          </label>
          <input
            id={`${id}-amount`}
            className="input-sm offset-amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder={full ? "—" : "2"}
            disabled={full}
            value={amount}
            aria-invalid={shown ? true : undefined}
            aria-describedby={shown ? `${id}-error` : undefined}
            onChange={(e) => {
              setAmount(e.target.value);
              setMistake(null);
            }}
            onKeyDown={(e) => {
              // Enter adds the reminder rather than submitting the whole form.
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
          />
          <select className="select-sm" aria-label="Unit" value={unit} disabled={full} onChange={(e) => setUnit(e.target.value as OffsetUnit)}>
            {OFFSET_UNITS.map((u) => (
              <option key={u.value} value={u.value}>
                {u.value}
              </option>
            ))}
          </select>
          <span className="muted offset-before" aria-hidden="true">
            before
          </span>
          <Button size="sm" onClick={add} disabled={full}>
            Add reminder
          </Button>
        </div>
      )}
      {shown && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {shown}
        </p>
      )}
      {!readOnly && (
        <div className="presets" role="group" aria-label="Presets">
          <span className="presets-label">Presets:</span>
          {OFFSET_PRESETS.map((preset) => (
            <button
              key={preset.join("-") || "none"}
              type="button"
              className="preset"
              aria-pressed={sameOffsets(preset, offsets)}
              onClick={() => change([...preset], `Preset applied. ${describeOffsets(preset)}.`)}
            >
              {describeOffsets(preset)}
            </button>
          ))}
        </div>
      )}
    </fieldset>
  );
}
