// A calendar date ("YYYY-MM-DD"): typed, or picked from react-day-picker's month grid.
import { format, isValid, parseISO } from "date-fns";
import { forwardRef, useState } from "react";
import { DayPicker } from "react-day-picker";
import "react-day-picker/style.css";

export interface DateInputProps {
  value: string;
  onChange: (date: string) => void;
  onBlur?: () => void;
  name?: string;
  id?: string;
  /** The earliest date that can be picked ("YYYY-MM-DD"). */
  min?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

export const DateInput = forwardRef<HTMLInputElement, DateInputProps>(function DateInput({ value, onChange, onBlur, name, id, min, ...aria }, ref) {
  const [open, setOpen] = useState(false);
  const parsed = value ? parseISO(value) : undefined;
  const selected = parsed && isValid(parsed) ? parsed : undefined;
  const earliest = min ? parseISO(min) : undefined;
  return (
    <div>
      <div className="date-input">
        <input
          ref={ref}
          id={id}
          name={name}
          type="text"
          inputMode="numeric"
          placeholder="YYYY-MM-DD"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value.trim())}
          onBlur={onBlur}
          {...aria}
        />
        <button type="button" className="btn btn-ghost btn-sm" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Close calendar" : "Pick a date"}
        </button>
      </div>
      {open && (
        <div className="date-popover">
          <DayPicker
            mode="single"
            selected={selected}
            defaultMonth={selected ?? earliest}
            disabled={earliest ? { before: earliest } : undefined}
            weekStartsOn={1}
            onSelect={(day) => {
              if (day) onChange(format(day, "yyyy-MM-dd"));
              setOpen(false);
            }}
          />
        </div>
      )}
    </div>
  );
});
