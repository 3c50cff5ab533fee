// Choosing a free time: a strip of days (with earlier/later), the free times of the chosen day, in the
// zone the availability answer names. Used by the booking page, the manage page and the calendar.
import { h, icon, ICONS } from "./dom.js";
import { clampWindowStart, dayStrip, firstDayWithSlots, groupSlotsByDay, slotKey, windowMoves } from "./slots.js";
import { addDays, formatDay, formatTime, zoneName } from "./zoned.js";

/**
 * @param {object} o
 * @param {Function} o.load      (from, to) => Promise<{slots, tz}> (an availability answer)
 * @param {string} o.today       the first date that may be shown (in the business's zone)
 * @param {string} [o.start]     the first date to show (default today)
 * @param {string} [o.lastDay]   the last date that may be shown
 * @param {number} [o.size]      days per window
 * @param {Function} [o.describe] (slot) => extra words for a time ("with Anna", "Soho")
 * @param {Function} [o.onPick]  (slot|null) => void
 */
export function slotPicker({ load, today, start = today, lastDay = null, size = 14, locale, describe = () => null,
  onPick = () => {}, label = "Free times" }) {
  const state = { start: clampWindowStart(start, today, size, lastDay), day: null, grouped: new Map(), tz: null, selected: null };
  let ticket = 0;

  const earlier = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => move(-1) },
    h("span", { "aria-hidden": "true" }, "‹"), h("span", null, "Earlier"));
  const later = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => move(1) },
    h("span", null, "Later"), h("span", { "aria-hidden": "true" }, "›"));
  const rangeText = h("p", { class: "slot-range" });
  const strip = h("div", { class: "day-strip", role: "group", "aria-label": "Days" });
  const zoneNote = h("p", { class: "hint slot-zone" });
  const status = h("p", { class: "slot-status", role: "status", "aria-live": "polite" });
  const times = h("div", { class: "slot-times", role: "group", "aria-label": label });
  const element = h("div", { class: "slot-picker" },
    h("div", { class: "slot-nav" }, earlier, rangeText, later), strip, zoneNote, status, times);

  function days() {
    return dayStrip(state.start, size).filter((d) => !lastDay || d <= lastDay);
  }

  function move(direction) {
    state.start = clampWindowStart(addDays(state.start, direction * size), today, size, lastDay);
    state.day = null;
    pick(null);
    reload();
  }

  function pick(slot) {
    state.selected = slot;
    for (const button of times.querySelectorAll("button[data-key]")) {
      button.setAttribute("aria-pressed", String(Boolean(slot) && button.dataset.key === slotKey(slot)));
    }
    onPick(slot);
  }

  function drawStrip() {
    const shown = days();
    rangeText.textContent = shown.length
      ? `${formatDay(shown[0], locale, { day: "numeric", month: "short" })} – ${formatDay(shown[shown.length - 1], locale, { day: "numeric", month: "short", year: "numeric" })}`
      : "";
    const moves = windowMoves(state.start, today, size, lastDay);
    earlier.disabled = !moves.back;
    later.disabled = !moves.forward;
    strip.replaceChildren(...shown.map((d) => {
      const count = (state.grouped.get(d) || []).length;
      const words = formatDay(d, locale, { weekday: "long", day: "numeric", month: "long" });
      return h("button", {
        type: "button", class: ["day-chip", count === 0 && "day-chip-empty"], "aria-pressed": String(d === state.day),
        "aria-label": `${words}: ${count === 0 ? "no free times" : count === 1 ? "1 free time" : `${count} free times`}`,
        onClick: () => {
          state.day = d;
          pick(null);
          drawStrip();
          drawTimes();
        },
      },
      h("span", { class: "day-chip-weekday" }, formatDay(d, locale, { weekday: "short" })),
      h("span", { class: "day-chip-date" }, formatDay(d, locale, { day: "numeric" })),
      h("span", { class: "day-chip-month" }, formatDay(d, locale, { month: "short" })),
      h("span", { class: "day-chip-count" }, count === 0 ? "—" : String(count)));
    }));
  }

  function drawTimes() {
    const slots = state.day ? state.grouped.get(state.day) || [] : [];
    const words = state.day ? formatDay(state.day, locale, { weekday: "long", day: "numeric", month: "long" }) : "";
    times.setAttribute("aria-label", state.day ? `${label} on ${words}` : label);
    if (!state.day) {
      status.textContent = "No free times in these days. Try later dates.";
      times.replaceChildren();
      return;
    }
    status.textContent = slots.length ? `${slots.length === 1 ? "1 free time" : `${slots.length} free times`} on ${words}.`
      : `No free times on ${words}.`;
    times.replaceChildren(...slots.map((slot) => {
      const extra = describe(slot);
      return h("button", {
        type: "button", class: "time-chip", "data-key": slotKey(slot),
        "aria-pressed": String(Boolean(state.selected) && slotKey(state.selected) === slotKey(slot)),
        onClick: () => pick(slot),
      },
      h("span", { class: "time-chip-time" }, formatTime(slot.start_at, state.tz, locale)),
      extra ? h("span", { class: "time-chip-extra" }, extra) : null,
      slot.seats_left > 1 ? h("span", { class: "time-chip-extra" }, `${slot.seats_left} places left`) : null);
    }));
  }

  /** Ask for the window's slots again (after a slot was taken, or a filter changed). */
  async function reload() {
    const mine = ++ticket;
    const shown = days();
    drawStrip();
    element.setAttribute("aria-busy", "true");
    status.textContent = "Looking for free times…";
    times.replaceChildren(h("div", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading…"));
    let answer;
    try {
      answer = await load(shown[0], shown[shown.length - 1]);
    } catch (err) {
      if (mine !== ticket) return;
      element.removeAttribute("aria-busy");
      status.textContent = "";
      times.replaceChildren(h("div", { class: "alert alert-error" },
        icon(ICONS.alert, { size: 18, className: "alert-icon" }),
        h("div", { class: "alert-body" },
          h("p", null, `We couldn't load the free times. ${err && err.message ? err.message : ""}`),
          h("div", { class: "alert-actions" }, h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: reload }, "Try again")))));
      return;
    }
    if (mine !== ticket) return;
    element.removeAttribute("aria-busy");
    state.tz = answer.tz;
    zoneNote.textContent = `Times are in ${zoneName(answer.tz)}.`;
    state.grouped = groupSlotsByDay(answer.slots, answer.tz, shown);
    if (!state.day || !shown.includes(state.day) || !(state.grouped.get(state.day) || []).length) {
      state.day = firstDayWithSlots(state.grouped, shown);
    }
    if (state.selected && !(state.grouped.get(state.day) || []).some((s) => slotKey(s) === slotKey(state.selected))) {
      pick(null);
    }
    drawStrip();
    drawTimes();
  }

  reload();
  return {
    element,
    reload,
    get selected() {
      return state.selected;
    },
    get timeZone() {
      return state.tz;
    },
  };
}
