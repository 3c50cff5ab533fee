import { memo } from "react";
import type { Option } from "../../lib/options";

/**
 * The <option>s of a <select> (lib/options.ts makes the lists). Memoised: a list of ~400 time zones is
 * rendered once, not on every keystroke in the form around it (callers keep the array stable).
 */
export const OptionList = memo(function OptionList({ options }: { options: readonly Option[] }) {
  return options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
});

/** The <option>s for records chosen by name (a service, a staff member, a location): value is the id. */
export function NamedOptions({ items }: { items: readonly { id: string; name: string }[] }) {
  return items.map((item) => (
    <option key={item.id} value={item.id}>
      {item.name}
    </option>
  ));
}
