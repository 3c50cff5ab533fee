// "/team": the logins of this business (every page of GET /business/users) and open invitations;
// inviting, changing a role, removing a member or leaving. The controls follow the API's rules (admins
// manage staff and admins, owners also owners); its refusals (last_owner, a 403) are shown as they come.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { SettingsTabs } from "../../../components/layouts/settings-tabs";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { Field } from "../../../components/ui/field";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { applyApiError } from "../../../lib/forms";
import { dashboardLocale, roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { formatDay, localDate } from "../../../lib/zoned";
import { ProfilesVsLogins } from "../../staff/components/profiles-vs-logins";
import { grantableRoles, canManage, ROLE_DESCRIPTION, ROLE_LABEL, useChangeRole, useInvite, useRemoveMember, useTeam, type Member, type Role } from "../api/team";
import "./team.css";

const displayName = (m: Member) => m.name || m.email;

export function TeamScreen() {
  const me = useMe();
  const team = useTeam();
  const [rowError, setRowError] = useState<string | null>(null);
  if (me.isPending) return <Loading />;
  if (me.isError) return <Alert tone="error">{me.error.message}</Alert>;
  const { role, user, business } = me.data;
  return (
    <div className="page">
      <SettingsTabs />
      <PageHeader title="Team" lead="Invite colleagues to sign in, and decide what each of them can do." />
      {rowError && <Alert tone="error">{rowError}</Alert>}
      {roleAtLeast(role, "admin") ? (
        <InviteCard callerRole={role} />
      ) : (
        <Alert tone="info">Only owners and admins invite people and change roles.</Alert>
      )}
      <section className="card card-flush team-section" aria-labelledby="members-title">
        <div className="card-head">
          <h2 id="members-title" className="card-title" tabIndex={-1}>
            Members {team.data && <span className="count">{team.data.members.length}</span>}
          </h2>
        </div>
        {team.isPending ? (
          <Loading label="Loading the team…" />
        ) : team.isError ? (
          <div className="card-head">
            <Alert tone="error" title="We couldn't load the team." actions={<Button size="sm" onClick={() => void team.refetch()}>Try again</Button>}>
              {team.error.message}
            </Alert>
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Team members</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {team.data.members.map((m) => (
                  <MemberRow key={m.user_id} member={m} callerRole={role} self={m.user_id === user.id} timeZone={business.time_zone} businessName={business.name} onError={setRowError} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ProfilesVsLogins on="team" />
      <section className="card team-section" aria-labelledby="invites-title">
        <h2 id="invites-title" className="card-title">
          Pending invitations
        </h2>
        {team.data && <Invitations invitations={team.data.invitations} callerRole={role} timeZone={business.time_zone} onError={setRowError} />}
      </section>
    </div>
  );
}

interface InviteValues {
  email: string;
  role: Role;
}

function InviteCard({ callerRole }: { callerRole: Role }) {
  const invite = useInvite();
  const toast = useToast();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, watch, formState: { errors, isSubmitting } } = useForm<InviteValues>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { email: "", role: "staff" },
  });
  const role = watch("role");
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const sent = await invite.mutateAsync({ email: values.email.trim(), role: values.role });
      toast(`Invitation sent to ${sent.email}.`);
      reset();
    } catch (error) {
      if (error instanceof ApiError && error.code === "already_member") {
        setError("email", { type: "server", message: "This person is already on the team." }, { shouldFocus: true });
        return;
      }
      setFormError(applyApiError(error, setError, ["email", "role"]));
    }
  });
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title" className="card-title">
        Invite someone
      </h2>
      <p className="muted card-sub">They'll get an e-mail with a link to join. The link works for 7 days.</p>
      {formError && <Alert tone="error">{formError}</Alert>}
      <form className="team-invite" onSubmit={submit} noValidate aria-label="Invite someone">
        <Field label="E-mail address" error={errors.email?.message}>
          <input
            type="email"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="colleague@example.com"
            {...register("email", { required: "Enter their e-mail address.", pattern: { value: /^\S+@\S+\.\S+$/, message: "This doesn't look like an e-mail address." } })}
          />
        </Field>
        <Field label="Role" error={errors.role?.message} hint={ROLE_DESCRIPTION[role]}>
          <select {...register("role")}>
            {[...grantableRoles(callerRole)].reverse().map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </Field>
        <div className="team-invite-submit">
          <Button type="submit" variant="primary" busy={isSubmitting}>
            Send invitation
          </Button>
        </div>
      </form>
    </section>
  );
}

function MemberRow({ member, callerRole, self, timeZone, businessName, onError }: {
  member: Member;
  callerRole: Role;
  self: boolean;
  timeZone: string;
  businessName: string;
  onError: (text: string | null) => void;
}) {
  const locale = dashboardLocale();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const [confirming, setConfirming] = useState(false);
  const manageable = canManage(callerRole, member.role);
  const name = displayName(member);
  const initials = name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();

  const onRole = (role: Role) => {
    onError(null);
    changeRole.mutate(
      { userId: member.user_id, role },
      {
        onSuccess: (updated) => {
          toast(`${name}'s role is now ${ROLE_LABEL[updated.role]}.`);
          // Our own role changed: what we may do is read again.
          if (self) void queryClient.invalidateQueries({ queryKey: ["me"] });
        },
        onError: (error) => onError(`Couldn't change ${name}'s role. ${error.message}`),
      },
    );
  };

  const doRemove = () => {
    onError(null);
    remove.mutate(member.user_id, {
      onSuccess: async () => {
        setConfirming(false);
        if (self) {
          await api.logout();
          queryClient.clear();
          navigate("/login", { replace: true });
          toast(`You left ${businessName}.`);
          return;
        }
        toast(`${name} was removed from the team.`);
      },
      onError: (error) => {
        setConfirming(false);
        onError(self ? `You can't leave the team. ${error.message}` : `Couldn't remove ${name}. ${error.message}`);
      },
    });
  };

  return (
    <tr>
      <th scope="row" className="cell-person">
        <span className="avatar avatar-sm" aria-hidden="true">
          {initials}
        </span>
        <span className="person">
          <span className="person-name">
            {name} {self && <span className="badge badge-muted">You</span>}
          </span>
          <span className="person-email">
            {member.email} {!member.email_verified && <span className="badge badge-warning">Unverified</span>}
          </span>
        </span>
      </th>
      <td data-label="Role">
        {manageable ? (
          <select
            className="select-sm"
            aria-label={`Role of ${name}${self ? " (you)" : ""}`}
            value={member.role}
            disabled={changeRole.isPending}
            onChange={(e) => onRole(e.target.value as Role)}
          >
            {grantableRoles(callerRole).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        ) : (
          <span className={`badge badge-role badge-${member.role}`}>{ROLE_LABEL[member.role]}</span>
        )}
      </td>
      <td data-label="Joined" className="muted">
        {formatDay(localDate(member.joined_at, timeZone), locale, { day: "numeric", month: "short", year: "numeric" })}
      </td>
      <td className="cell-actions">
        {manageable && (
          <Button size="sm" variant="danger-ghost" aria-label={self ? "Leave the team" : `Remove ${name}`} onClick={() => setConfirming(true)}>
            {self ? "Leave" : "Remove"}
          </Button>
        )}
        <ConfirmDialog
          open={confirming}
          title={self ? `Leave ${businessName}?` : `Remove ${name}?`}
          confirmLabel={self ? "Yes, leave" : "Yes, remove"}
          danger
          busy={remove.isPending}
          onConfirm={doRemove}
          onClose={() => setConfirming(false)}
        >
          <p>
            {self
              ? "You will be signed out and can't sign in to this business again unless someone invites you."
              : `${name} can no longer sign in to this business. A staff profile linked to this login stays (with its calendar) but is unlinked.`}
          </p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

function Invitations({ invitations, callerRole, timeZone, onError }: {
  invitations: Schemas["OpenInvitation"][];
  callerRole: Role;
  timeZone: string;
  onError: (text: string | null) => void;
}) {
  const locale = dashboardLocale();
  const invite = useInvite();
  const toast = useToast();
  const day = (instant: string) => formatDay(localDate(instant, timeZone), locale, { day: "numeric", month: "short", year: "numeric" });
  if (invitations.length === 0) return <p className="muted">No pending invitations.</p>;
  return (
    <ul className="invites" aria-label="Pending invitations">
      {invitations.map((inv) => (
        <li key={inv.id} className="invite">
          <span className="person">
            <span className="person-name">{inv.email}</span>
            <span className="person-email">
              {ROLE_LABEL[inv.role]} · sent {day(inv.created_at)} · expires {day(inv.expires_at)}
            </span>
          </span>
          {grantableRoles(callerRole).includes(inv.role) && (
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Resend the invitation to ${inv.email}`}
              disabled={invite.isPending}
              onClick={() => {
                onError(null);
                invite.mutate(
                  { email: inv.email, role: inv.role },
                  {
                    onSuccess: () => toast(`A new invitation was sent to ${inv.email}.`),
                    onError: (error) => onError(`Couldn't resend the invitation. ${error.message}`),
                  },
                );
              }}
            >
              Resend
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
