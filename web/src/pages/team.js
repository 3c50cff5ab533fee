// "/team": members (every page of GET /business/users) and open invitations; inviting, changing a
// role and removing a member. The controls follow the API's rules (admins manage staff and admins,
// owners also manage owners) and the API's answers (e.g. last_owner) are shown as they come.
import { h, icon, ICONS } from "../dom.js";
import { field, formAlert, onSubmit, setAlert, setFieldError } from "../forms.js";
import { formatDate, ROLES, roleDescription, roleLabel } from "../format.js";
import { newIdempotencyKey } from "../idempotency.js";

// A fresh Idempotency-Key per submit; re-exported for the tests and older imports.
export { newIdempotencyKey };

/** The roles `callerRole` may give (only owners grant owner). */
export function grantableRoles(callerRole) {
  return callerRole === "owner" ? ROLES : ROLES.filter((r) => r !== "owner");
}

/** May `callerRole` change or remove a member who has `memberRole`? (Owners alone touch owners.) */
export function canManage(callerRole, memberRole) {
  if (callerRole === "owner") return true;
  return callerRole === "admin" && memberRole !== "owner";
}

function displayName(member) {
  return member.name || member.email;
}

export function teamPage(ctx) {
  const me = ctx.me;
  const locale = navigator.language;
  const tz = me.business.time_zone;
  const alert = formAlert(); // errors of row actions (role change, removal)
  const membersBox = h("div", { class: "loading", role: "status" },
    h("span", { class: "spinner", "aria-hidden": "true" }), "Loading the team…");
  const invitationsBox = h("div");
  let members = [];
  let invitations = [];
  const countEl = h("span", { class: "count" });
  const membersHeading = h("h2", { id: "members-title", class: "card-title", tabindex: "-1" }, "Members ", countEl);

  // --- invite ------------------------------------------------------------------------------------
  const inviteAlert = formAlert();
  const roleOptions = grantableRoles(me.role).slice().reverse() // staff first: the usual choice
    .map((role) => ({ value: role, label: roleLabel(role) }));
  const roleField = field({ label: "Role", name: "role", type: "select", value: "staff", options: roleOptions,
    required: true, hint: roleDescription("staff") });
  const roleSelect = roleField.querySelector("select");
  const describeRole = () => {
    roleField.querySelector(".hint").textContent = roleDescription(roleSelect.value);
  };
  roleSelect.addEventListener("change", describeRole);
  const inviteForm = h("form", { class: "invite-form", "aria-labelledby": "invite-title" },
    field({ label: "E-mail address", name: "email", type: "email", required: true, autocomplete: "off",
      attrs: { autocapitalize: "none", spellcheck: "false", placeholder: "colleague@example.com" } }),
    roleField,
    h("div", { class: "invite-submit" },
      h("button", { type: "submit", class: "btn btn-primary" }, icon(ICONS.mail, { size: 16 }), h("span", null, "Send invitation"))));
  onSubmit(inviteForm, inviteAlert, async (data) => {
    const email = String(data.get("email")).trim();
    const role = String(data.get("role"));
    let invitation;
    try {
      invitation = await ctx.api.invite(email, role, newIdempotencyKey());
    } catch (err) {
      if (err.code === "already_member") {
        setFieldError(inviteForm, "email", "This person is already on the team.");
        inviteForm.querySelector("[name=email]").focus();
        return;
      }
      throw err;
    }
    invitations = [...invitations.filter((i) => i.email !== invitation.email), invitation];
    drawInvitations();
    inviteForm.reset();
    roleSelect.value = "staff";
    describeRole();
    ctx.toast(`Invitation sent to ${invitation.email}.`);
  }, { busyLabel: "Sending…" });

  // --- members -----------------------------------------------------------------------------------
  function roleControl(member) {
    const self = member.user_id === me.user.id;
    if (!canManage(me.role, member.role)) {
      return h("span", { class: `badge badge-role badge-${member.role}` }, roleLabel(member.role));
    }
    const select = h("select", {
      class: "select-sm", "aria-label": `Role of ${displayName(member)}${self ? " (you)" : ""}`,
      onChange: async () => {
        const role = select.value;
        setAlert(alert, null);
        select.disabled = true;
        try {
          const updated = await ctx.api.changeRole(member.user_id, role);
          Object.assign(member, updated);
          ctx.toast(`${displayName(member)}'s role is now ${roleLabel(updated.role)}.`);
          if (self) {
            ctx.forgetMe(); // our own role changed: reload what we may do
            await ctx.navigate("/team", { replace: true });
            return;
          }
        } catch (err) {
          select.value = member.role;
          if (err.kind !== "session_expired") {
            setAlert(alert, `Couldn't change ${displayName(member)}'s role. ${err.message}`);
          }
        } finally {
          select.disabled = false;
        }
        drawMembers();
      },
    }, grantableRoles(me.role).map((role) => h("option", { value: role, selected: role === member.role }, roleLabel(role))));
    return select;
  }

  function removeControl(member) {
    if (!canManage(me.role, member.role)) return null;
    const self = member.user_id === me.user.id;
    const cell = h("div", { class: "row-actions" });
    const ask = h("button", {
      type: "button", class: "btn btn-danger-ghost btn-sm",
      "aria-label": self ? "Leave the team" : `Remove ${displayName(member)}`,
      onClick: () => {
        const confirmBtn = h("button", { type: "button", class: "btn btn-danger btn-sm", onClick: remove },
          self ? "Yes, leave" : "Yes, remove");
        const cancel = h("button", { type: "button", class: "btn btn-ghost btn-sm", onClick: () => {
          cell.replaceChildren(ask);
          ask.focus();
        } }, "Cancel");
        cell.replaceChildren(h("span", { class: "confirm-text", role: "status" },
          self ? "Leave this business?" : `Remove ${displayName(member)}?`), confirmBtn, cancel);
        confirmBtn.focus();
      },
    }, self ? "Leave" : "Remove");

    async function remove(event) {
      event.target.disabled = true;
      setAlert(alert, null);
      try {
        await ctx.api.removeMember(member.user_id);
      } catch (err) {
        cell.replaceChildren(ask);
        if (err.kind !== "session_expired") {
          setAlert(alert, self ? `You can't leave the team. ${err.message}` : `Couldn't remove ${displayName(member)}. ${err.message}`);
          ask.focus();
        }
        return;
      }
      if (self) {
        await ctx.api.logout();
        ctx.forgetMe();
        await ctx.navigate("/login", { replace: true });
        ctx.toast(`You left ${me.business.name}.`);
        return;
      }
      members = members.filter((m) => m.user_id !== member.user_id);
      drawMembers();
      ctx.toast(`${displayName(member)} was removed from the team.`);
      membersHeading.focus();
    }

    cell.append(ask);
    return cell;
  }

  function drawMembers() {
    const rows = members.map((member) => {
      const self = member.user_id === me.user.id;
      return h("tr", null,
        h("th", { scope: "row", class: "cell-person" },
          h("span", { class: "avatar avatar-sm", "aria-hidden": "true" },
            displayName(member).split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase()),
          h("span", { class: "person" },
            h("span", { class: "person-name" }, displayName(member),
              self ? h("span", { class: "badge badge-muted" }, "You") : null),
            h("span", { class: "person-email" }, member.email,
              member.email_verified ? null : h("span", { class: "badge badge-warning" }, "Unverified")))),
        h("td", { "data-label": "Role" }, roleControl(member)),
        h("td", { "data-label": "Joined", class: "muted" }, formatDate(member.joined_at, locale, tz)),
        h("td", { class: "cell-actions" }, removeControl(member)));
    });
    membersBox.className = "table-wrap";
    membersBox.removeAttribute("role");
    membersBox.replaceChildren(h("table", { class: "table" },
      h("caption", { class: "sr-only" }, "Team members"),
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, "Member"), h("th", { scope: "col" }, "Role"),
        h("th", { scope: "col" }, "Joined"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
      h("tbody", null, rows)));
    countEl.textContent = String(members.length);
  }

  function drawInvitations() {
    if (!invitations.length) {
      invitationsBox.replaceChildren(h("p", { class: "muted empty-line" }, "No pending invitations."));
      return;
    }
    invitationsBox.replaceChildren(h("ul", { class: "invites" }, invitations.map((inv) => {
      const resend = h("button", {
        type: "button", class: "btn btn-ghost btn-sm", "aria-label": `Resend the invitation to ${inv.email}`,
        onClick: async () => {
          resend.disabled = true;
          setAlert(alert, null);
          try {
            const again = await ctx.api.invite(inv.email, inv.role, newIdempotencyKey());
            invitations = invitations.map((i) => (i.email === again.email ? again : i));
            drawInvitations();
            ctx.toast(`A new invitation was sent to ${inv.email}.`);
          } catch (err) {
            resend.disabled = false;
            if (err.kind !== "session_expired") setAlert(alert, `Couldn't resend the invitation. ${err.message}`);
          }
        },
      }, icon(ICONS.refresh, { size: 14 }), h("span", null, "Resend"));
      return h("li", { class: "invite" },
        h("span", { class: "invite-icon", "aria-hidden": "true" }, icon(ICONS.mail, { size: 16 })),
        h("span", { class: "person" },
          h("span", { class: "person-name" }, inv.email),
          h("span", { class: "person-email" },
            `${roleLabel(inv.role)} · sent ${formatDate(inv.created_at, locale, tz)} · expires ${formatDate(inv.expires_at, locale, tz)}`)),
        grantableRoles(me.role).includes(inv.role) ? resend : null);
    })));
  }

  async function load() {
    setAlert(alert, null);
    try {
      ({ members, invitations } = await ctx.api.listTeam());
    } catch (err) {
      if (err.kind === "session_expired") return;
      membersBox.replaceChildren();
      setAlert(alert, `Couldn't load the team. ${err.message}`,
        { actions: [h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: load }, "Try again")] });
      return;
    }
    drawMembers();
    drawInvitations();
  }

  load();

  return h("div", { class: "page" },
    h("header", { class: "page-header" },
      h("div", null,
        h("h1", { tabindex: "-1" }, "Team"),
        h("p", { class: "lead" }, "Invite colleagues and decide what each of them can do."))),
    alert,
    h("section", { class: "card", "aria-labelledby": "invite-title" },
      h("h2", { id: "invite-title", class: "card-title" }, "Invite someone"),
      h("p", { class: "muted card-sub" }, "They'll get an e-mail with a link to join. The link works for 7 days."),
      inviteAlert, inviteForm),
    h("section", { class: "card card-flush", "aria-labelledby": "members-title" },
      h("div", { class: "card-head" },
        membersHeading),
      membersBox),
    h("section", { class: "card", "aria-labelledby": "invites-title" },
      h("h2", { id: "invites-title", class: "card-title" }, "Pending invitations"),
      invitationsBox));
}
