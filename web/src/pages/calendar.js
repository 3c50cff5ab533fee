// "/calendar": the business's appointments by staff member, a day (a time grid) or a week (a list per
// day) at a time, in the business's time zone. ?view=day|week&date=YYYY-MM-DD keep the place, so a
// reload or a shared link opens the same page. Clicking an appointment opens its panel; "New
// appointment" books one.
import { assignLanes, groupByDayAndStaff, groupSessions, hourMarks, nowLine, placeInDay, staffColumns, stepDate,
  viewRange, visibleWindow } from "../calendar_grid.js";
import { openDialog } from "../dialog.js";
import { createCalendarData } from "../calendar_data.js";
import { h, icon, ICONS } from "../dom.js";
import { formAlert, setAlert } from "../forms.js";
import { STATUSES, statusLabel } from "../status.js";
import { dayBounds, formatDay, formatHour, formatTimeRange, isDate, localDate, todayIn, zoneName } from "../zoned.js";
import { openAppointment } from "./appointment.js";
import { openNewAppointment } from "./new_appointment.js";

const PX_PER_MIN = 1.8; // an hour is 108px tall: a 30-minute booking has room for three lines
const MIN_BLOCK_PX = 22;
const SHORT_BLOCK_PX = 40; // below this a block shows its time and service on one line

/** A service's colour, if it is one CSS can take safely. */
function serviceColor(service) {
  const color = service && service.color;
  return typeof color === "string" && /^#[0-9a-f]{3,8}$/i.test(color) ? color : null;
}

export function calendarPage(ctx) {
  const me = ctx.me;
  const locale = navigator.language;
  const data = createCalendarData(ctx.api);
  const state = {
    view: ctx.query.get("view") === "week" ? "week" : "day",
    date: isDate(ctx.query.get("date")) ? ctx.query.get("date") : null,
    tz: me.business.time_zone,
    showCancelled: ctx.query.get("cancelled") !== "0",
    appointments: [],
    onlyStaffId: null,
    ready: false,
  };
  let ticket = 0;

  // --- the toolbar -------------------------------------------------------------------------------
  const rangeLabel = h("p", { class: "lead cal-range", "aria-live": "polite" });
  const prev = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => go(stepDate(state.view, state.date, -1)) },
    h("span", { "aria-hidden": "true" }, "‹"), h("span", { class: "sr-only" }, "Previous day"));
  const next = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => go(stepDate(state.view, state.date, 1)) },
    h("span", { "aria-hidden": "true" }, "›"), h("span", { class: "sr-only" }, "Next day"));
  const today = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => go(todayIn(state.tz)) }, "Today");
  const dateInput = h("input", { type: "date", id: "cal-date", class: "input-sm", onChange: (e) => isDate(e.target.value) && go(e.target.value) });
  const viewButtons = ["day", "week"].map((view) => h("button", {
    type: "button", class: "segment", "aria-pressed": String(state.view === view),
    onClick: () => {
      state.view = view;
      refresh();
    },
  }, view === "day" ? "Day" : "Week"));
  const cancelledBox = h("input", { type: "checkbox", id: "cal-cancelled", checked: state.showCancelled, onChange: (e) => {
    state.showCancelled = e.target.checked;
    syncUrl();
    draw();
  } });
  const reloadButton = h("button", { type: "button", class: "btn btn-ghost btn-sm", onClick: () => refresh() },
    icon(ICONS.refresh, { size: 16 }), h("span", null, "Refresh"));
  const newButton = h("button", { type: "button", class: "btn btn-primary", disabled: true, onClick: newAppointment },
    icon(ICONS.plus, { size: 16 }), h("span", null, "New appointment"));

  const alert = formAlert();
  const body = h("section", { class: "card card-flush cal-body", "aria-label": "Appointments", tabindex: "-1" },
    h("div", { class: "loading cal-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading the calendar…"));

  const page = h("div", { class: "page page-calendar" },
    h("header", { class: "page-header" },
      h("div", null, h("h1", { tabindex: "-1" }, "Calendar"), rangeLabel),
      newButton),
    h("div", { class: "cal-toolbar", role: "group", "aria-label": "Calendar controls" },
      h("div", { class: "btn-group" }, prev, today, next),
      h("label", { class: "sr-only", for: "cal-date" }, "Go to date"), dateInput,
      h("div", { class: "segmented", role: "group", "aria-label": "View" }, viewButtons),
      h("div", { class: "check-row cal-check" }, cancelledBox, h("label", { for: "cal-cancelled" }, "Show cancelled")),
      reloadButton),
    h("ul", { class: "cal-legend", "aria-label": "Statuses" },
      STATUSES.map((s) => h("li", null, h("span", { class: `status status-${s}` }, statusLabel(s))))),
    alert,
    body);

  // --- navigation --------------------------------------------------------------------------------
  function syncUrl() {
    const params = new URLSearchParams({ view: state.view, date: state.date });
    if (!state.showCancelled) params.set("cancelled", "0");
    const url = `/calendar?${params}`;
    if (window.location.pathname + window.location.search !== url) window.history.replaceState(window.history.state, "", url);
  }

  function go(date) {
    state.date = date;
    refresh();
  }

  function describeRange() {
    const { from, to } = viewRange(state.view, state.date);
    const words = state.view === "day" ? formatDay(from, locale)
      : `${formatDay(from, locale, { day: "numeric", month: "short" })} – ${formatDay(to, locale, { day: "numeric", month: "short", year: "numeric" })}`;
    rangeLabel.textContent = `${words} · ${zoneName(state.tz)}`;
    const unit = state.view === "day" ? "day" : "week";
    prev.querySelector(".sr-only").textContent = `Previous ${unit}`;
    next.querySelector(".sr-only").textContent = `Next ${unit}`;
    dateInput.value = state.date;
    viewButtons.forEach((b, i) => b.setAttribute("aria-pressed", String((i === 0 ? "day" : "week") === state.view)));
  }

  async function refresh() {
    if (!state.ready) return;
    const mine = ++ticket;
    syncUrl();
    describeRange();
    body.setAttribute("aria-busy", "true");
    const { from, to } = viewRange(state.view, state.date);
    if (state.onlyStaffId === "none") { // a staff-role login without a staff profile has no calendar
      body.removeAttribute("aria-busy");
      draw();
      return;
    }
    try {
      const found = await data.loadRange(from, to, state.onlyStaffId ? { staff_id: state.onlyStaffId } : {});
      if (mine !== ticket) return;
      state.appointments = found;
      setAlert(alert, null);
    } catch (err) {
      if (mine !== ticket || err.kind === "session_expired") return;
      setAlert(alert, `Couldn't load the appointments. ${err.message}`, {
        actions: [h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => refresh() }, "Try again")],
      });
      state.appointments = [];
    } finally {
      if (mine === ticket) body.removeAttribute("aria-busy");
    }
    draw();
  }

  // --- drawing -----------------------------------------------------------------------------------
  function shown() {
    return state.appointments.filter((a) => state.showCancelled || a.status !== "cancelled");
  }

  function columns(appointments) {
    return staffColumns(data.ref.staff, appointments, { onlyStaffId: state.onlyStaffId });
  }

  function describe(a) {
    const when = formatTimeRange(a.start_at, a.end_at, state.tz, locale);
    return `${when}, ${data.names.service(a.service_id)} for ${data.names.customer(a.customer_id)}, ${statusLabel(a.status)}`;
  }

  function appointmentButton(a, className) {
    const status = a.status === "confirmed" ? null : h("span", { class: "appt-status" }, statusLabel(a.status));
    const button = h("button", {
      type: "button", class: [className, `appt-${a.status}`], "aria-label": describe(a), "data-id": a.id,
      onClick: () => openDetail(a),
    },
    h("span", { class: "appt-line" }, h("span", { class: "appt-time" }, formatTimeRange(a.start_at, a.end_at, state.tz, locale)), status),
    h("span", { class: "appt-title" }, data.names.service(a.service_id)),
    h("span", { class: "appt-customer" }, data.names.customer(a.customer_id)));
    const color = serviceColor(data.ref.services.get(a.service_id));
    if (color) button.style.setProperty("--service-color", color);
    return button;
  }

  /** A group session: one block for its bookings, opening the list of who is in it. */
  function sessionButton(entry, className) {
    const live = entry.appointments.filter((a) => a.status !== "cancelled");
    const pending = live.filter((a) => a.status === "pending").length;
    const words = `${live.length} booked${pending ? `, ${pending} pending` : ""}`;
    const when = formatTimeRange(entry.start_at, entry.end_at, state.tz, locale);
    const button = h("button", {
      type: "button", class: [className, "appt-session", live.length ? (pending ? "appt-pending" : "appt-confirmed") : "appt-cancelled"],
      "aria-label": `${when}, ${data.names.service(entry.service_id)}, group session: ${words}`, "data-id": entry.appointments[0].id,
      onClick: () => openSession(entry),
    },
    h("span", { class: "appt-line" }, h("span", { class: "appt-time" }, when), h("span", { class: "appt-status" }, "Group")),
    h("span", { class: "appt-title" }, data.names.service(entry.service_id)),
    h("span", { class: "appt-customer" }, words));
    const color = serviceColor(data.ref.services.get(entry.service_id));
    if (color) button.style.setProperty("--service-color", color);
    return button;
  }

  function entryButton(entry, className) {
    return entry.appointments.length === 1 ? appointmentButton(entry.appointments[0], className) : sessionButton(entry, className);
  }

  function sessions(appointments) {
    return groupSessions(appointments, (a) => ((data.ref.services.get(a.service_id) || {}).capacity || 1) > 1);
  }

  function emptyStaff() {
    return h("div", { class: "empty-state" },
      icon(ICONS.team, { size: 40, className: "empty-icon" }),
      h("h2", null, me.role === "staff" ? "No calendar linked to you" : "No staff members yet"),
      h("p", null, me.role === "staff"
        ? "Your login is not linked to a staff profile yet. Ask an admin to link it."
        : "Add staff members and the services they perform, then their appointments show here."));
  }

  function drawDay() {
    const bounds = dayBounds(state.date, state.tz);
    const appointments = shown();
    const cols = columns(appointments);
    if (!cols.length) return emptyStaff();
    const placements = new Map(appointments.map((a) => [a.id, placeInDay(a.start_at, a.end_at, bounds)]));
    const win = visibleWindow(bounds, [...placements.values()], state.tz);
    const heightPx = (win.end - win.start) * PX_PER_MIN;
    const y = (minute) => `${(minute - win.start) * PX_PER_MIN}px`;
    const marks = hourMarks(bounds, state.tz).filter((m) => m.minute >= win.start && m.minute < win.end);
    const byStaff = groupByDayAndStaff(appointments, state.tz).get(state.date) || new Map();
    const now = nowLine(bounds);

    const gutter = h("div", { class: "dg-times", "aria-hidden": "true" },
      marks.map((m) => {
        const label = h("span", { class: "dg-hour" }, formatHour(bounds.start.getTime() + m.minute * 60_000, state.tz, locale));
        label.style.top = y(m.minute);
        return label;
      }));
    gutter.style.height = `${heightPx}px`;

    const columnsEls = cols.map((col) => {
      const items = (byStaff.get(col.id) || []).filter((a) => placements.get(a.id));
      const lanes = assignLanes(sessions(items), (e) => e.start_at, (e) => e.end_at);
      const column = h("div", { class: "dg-col", role: "group", "aria-label": `${col.name}: ${items.length === 1 ? "1 appointment" : `${items.length} appointments`}` },
        lanes.map(({ item, lane, lanes: width }) => {
          const p = placements.get(item.appointments[0].id);
          const block = entryButton(item, "appt");
          block.style.top = y(p.top);
          block.style.height = `${Math.max(p.height * PX_PER_MIN - 2, MIN_BLOCK_PX)}px`;
          block.style.left = `calc(${(lane / width) * 100}% + 3px)`;
          block.style.width = `calc(${100 / width}% - 6px)`;
          if (p.height * PX_PER_MIN < SHORT_BLOCK_PX) block.classList.add("appt-short");
          return block;
        }));
      column.style.height = `${heightPx}px`;
      if (now !== null && now >= win.start && now <= win.end) {
        const line = h("div", { class: "dg-now", "aria-hidden": "true" });
        line.style.top = y(now);
        column.append(line);
      }
      if (!items.length) column.append(h("p", { class: "sr-only" }, "No appointments"));
      return column;
    });

    const grid = h("div", { class: "day-grid" },
      h("div", { class: "dg-corner", "aria-hidden": "true" }),
      cols.map((col) => h("div", { class: "dg-head" }, h("span", { class: "dg-name" }, col.name),
        col.active ? null : h("span", { class: "badge badge-muted" }, "Inactive"))),
      gutter, columnsEls);
    grid.style.setProperty("--cols", String(cols.length));
    grid.style.setProperty("--hour-px", `${60 * PX_PER_MIN}px`);
    const summary = appointments.length
      ? `${appointments.length === 1 ? "1 appointment" : `${appointments.length} appointments`}${bounds.hours !== 24 ? ` · this day has ${bounds.hours} hours (the clocks change)` : ""}`
      : `No appointments${bounds.hours !== 24 ? ` · this day has ${bounds.hours} hours (the clocks change)` : ""}`;
    return [h("p", { class: "cal-summary muted" }, summary), h("div", { class: "day-grid-wrap" }, grid)];
  }

  function drawWeek() {
    const { days, from, to } = viewRange("week", state.date);
    const appointments = shown();
    const cols = columns(appointments);
    if (!cols.length) return emptyStaff();
    const grouped = groupByDayAndStaff(appointments, state.tz);
    const todayDate = todayIn(state.tz);
    const rows = days.map((day) => {
      const byStaff = grouped.get(day) || new Map();
      return h("tr", { class: day === todayDate ? "is-today" : null },
        h("th", { scope: "row", class: "week-day" },
          h("button", { type: "button", class: "link-button", "aria-label": `Open ${formatDay(day, locale)} in the day view`,
            onClick: () => {
              state.view = "day";
              go(day);
            } },
          h("span", { class: "week-weekday" }, formatDay(day, locale, { weekday: "short" })),
          h("span", { class: "week-date" }, formatDay(day, locale, { day: "numeric", month: "short" })))),
        cols.map((col) => {
          const items = byStaff.get(col.id) || [];
          return h("td", { "data-label": col.name },
            items.length ? h("ul", { class: "week-list" }, sessions(items).map((e) => h("li", null, entryButton(e, "appt-chip"))))
              : h("span", { class: "week-empty" }, h("span", { "aria-hidden": "true" }, "·"), h("span", { class: "sr-only" }, "No appointments")));
        }));
    });
    return h("div", { class: "table-wrap week-wrap" },
      h("table", { class: "week-table" },
        h("caption", { class: "sr-only" }, `Appointments from ${formatDay(from, locale)} to ${formatDay(to, locale)}, by day and staff member`),
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Day"),
          cols.map((col) => h("th", { scope: "col" }, col.name, col.active ? null : h("span", { class: "badge badge-muted" }, "Inactive"))))),
        h("tbody", null, rows)));
  }

  function draw() {
    if (!state.ready) return;
    body.replaceChildren(...[state.view === "week" ? drawWeek() : drawDay()].flat());
  }

  // --- panels ------------------------------------------------------------------------------------
  function openDetail(appointment) {
    openAppointment(ctx, {
      appointment, data, timeZone: state.tz, locale, onlyStaffId: state.onlyStaffId,
      onChanged: () => refresh(),
      onClose: () => refocus(appointment.id),
    });
  }

  /** After a panel closes over a redrawn calendar, put focus back on the same appointment. */
  function refocus(id) {
    if (document.activeElement && document.activeElement !== document.body) return;
    const again = body.querySelector(`[data-id="${CSS.escape(id)}"]`);
    if (again) again.focus();
    else body.focus();
  }

  function openSession(entry) {
    let next = null;
    const when = formatTimeRange(entry.start_at, entry.end_at, state.tz, locale);
    const dialog = openDialog({
      title: `${data.names.service(entry.service_id)} · ${when}`,
      onClose: () => next && openDetail(next),
    });
    dialog.setContent(
      h("p", { class: "muted" }, `Group session with ${data.names.staff(entry.staff_id)}, ${formatDay(localDate(entry.start_at, state.tz), locale)}.`),
      h("ul", { class: "session-list" }, entry.appointments.map((a) => h("li", null,
        h("button", { type: "button", class: "session-person", onClick: () => {
          next = a;
          dialog.close();
        } },
        h("span", null, data.names.customer(a.customer_id)),
        h("span", { class: `status status-${a.status}` }, statusLabel(a.status)))))));
  }

  function newAppointment() {
    openNewAppointment(ctx, {
      data, timeZone: state.tz, locale, date: state.date, onlyStaffId: state.onlyStaffId,
      onBooked: (appointment, date) => {
        state.date = date;
        refresh();
      },
    });
  }

  // --- start -------------------------------------------------------------------------------------
  (async () => {
    try {
      await data.loadReference();
    } catch (err) {
      if (err.kind === "session_expired") return;
      body.replaceChildren();
      setAlert(alert, `Couldn't load the calendar. ${err.message}`, {
        actions: [h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: () => ctx.navigate(window.location.pathname + window.location.search, { replace: true }) }, "Try again")],
      });
      return;
    }
    if (!ctx.isCurrent()) return;
    state.tz = data.ref.business.time_zone || state.tz;
    state.date = state.date || todayIn(state.tz);
    if (me.role === "staff") {
      const own = data.ref.staff.find((s) => s.user_id === me.user.id);
      state.onlyStaffId = own ? own.id : "none";
    }
    state.ready = true;
    newButton.disabled = state.onlyStaffId === "none";
    await refresh();
  })();

  return page;
}
