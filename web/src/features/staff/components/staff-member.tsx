// "/staff/:staffId" (or "/staff/new"): the profile, photo, working hours and time off of one person,
// and their Google Calendar connection when the plan has it.
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { PageHeader } from "../../../components/ui/page-header";
import { RecordLoader } from "../../../components/ui/record-loader";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { PlanRefusal } from "../../billing/components/plan-refusal";
import { planProblem } from "../../billing/lib/words";
import { StaffCalendarCard, useGoogleCalendarFeature } from "../../calendar-sync/components/staff-connections";
import { useLocations } from "../../locations/api/locations";
import type { StaffMember } from "../api/staff";
import { useDeactivateStaff, useSchedule, useStaffMember, useUpdateStaff } from "../api/staff-member";
import { ScheduleEditor } from "./schedule-editor";
import { StaffForm } from "./staff-form";
import { StaffPhoto } from "./staff-photo";
import { StaffServices } from "./staff-services";
import { TimeOffSection } from "./time-off";
import "./staff.css";

export function StaffMemberScreen() {
  const { staffId = "new" } = useParams();
  const navigate = useNavigate();
  if (staffId === "new") {
    return (
      <div className="page">
        <PageHeader title="Add a staff member" lead="Someone customers can book. You set their working hours next." />
        <section className="card">
          <StaffForm onSaved={(created) => navigate(`/staff/${created.id}`, { replace: true })} onCancel={() => navigate("/staff")} />
        </section>
      </div>
    );
  }
  return <ExistingMember staffId={staffId} />;
}

function ExistingMember({ staffId }: { staffId: string }) {
  const query = useStaffMember(staffId);
  return (
    <RecordLoader
      query={query}
      loading="Loading the profile…"
      failure="We couldn't load this staff member."
      back={{ to: "/staff", label: "Back to staff" }}
    >
      {(member) => <MemberPage member={member} />}
    </RecordLoader>
  );
}

function MemberPage({ member }: { member: StaffMember }) {
  const me = useMe();
  const navigate = useNavigate();
  const toast = useToast();
  const deactivate = useDeactivateStaff(member.id);
  const reactivate = useUpdateStaff(member.id);
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [planError, setPlanError] = useState<unknown>(null);
  const admin = roleAtLeast(me.data?.role, "admin");
  const google = useGoogleCalendarFeature();
  const timeZone = member.time_zone ?? me.data?.business.time_zone ?? "UTC";

  const doDeactivate = () =>
    deactivate.mutate(undefined, {
      onSuccess: () => {
        toast(`${member.name} was deactivated.`);
        navigate("/staff");
      },
      onError: (error) => {
        setConfirming(false);
        setActionError(error.message);
      },
    });
  const doReactivate = () =>
    reactivate.mutate(
      { active: true, version: member.version },
      {
        onSuccess: () => toast(`${member.name} is active again.`),
        // Re-activating counts against the plan's staff limit like adding someone.
        onError: (error) => (planProblem(error) ? setPlanError(error) : setActionError(error.message)),
      },
    );

  return (
    <div className="page">
      <PageHeader
        title={member.name}
        lead={
          <>
            <Link to="/staff">Staff</Link> · {member.active ? (member.bookable ? "Bookable online" : "Not bookable online") : "Inactive"}
          </>
        }
        actions={
          member.active ? (
            <Button variant="danger-ghost" onClick={() => setConfirming(true)}>
              Deactivate
            </Button>
          ) : (
            <Button busy={reactivate.isPending} onClick={doReactivate}>
              Reactivate
            </Button>
          )
        }
      />
      {actionError && <Alert tone="error">{actionError}</Alert>}
      {planError !== null && <PlanRefusal error={planError} />}
      {!admin && (
        <Alert tone="info">Only owners and admins change profiles. You can change your own working hours and time off.</Alert>
      )}
      <section className="card" aria-labelledby="profile-title">
        <h2 className="card-title" id="profile-title">
          Profile
        </h2>
        <StaffForm key={member.version} member={member} />
      </section>
      <StaffPhoto member={member} />
      <StaffServices member={member} readOnly={!admin} />
      <section className="card staff-section" aria-labelledby="hours-title">
        <h2 className="card-title" id="hours-title">
          Working hours
        </h2>
        <Hours member={member} />
      </section>
      <TimeOffSection staffId={member.id} timeZone={timeZone} />
      {google && <StaffCalendarCard member={member} />}
      <ConfirmDialog
        open={confirming}
        title={`Deactivate ${member.name}?`}
        confirmLabel="Deactivate"
        danger
        busy={deactivate.isPending}
        onConfirm={doDeactivate}
        onClose={() => setConfirming(false)}
      >
        <p>
          They disappear from the booking page and the calendar. Their past appointments stay. You can reactivate them
          later from the staff list ("Show inactive staff").
        </p>
      </ConfirmDialog>
    </div>
  );
}

function Hours({ member }: { member: StaffMember }) {
  const schedule = useSchedule(member.id);
  const locations = useLocations({ includeArchived: true });
  const me = useMe();
  if (schedule.isPending || locations.isPending) return <Loading label="Loading working hours…" />;
  if (schedule.isError) return <Alert tone="error" title="We couldn't load the working hours.">{schedule.error.message}</Alert>;
  if (locations.isError) return <Alert tone="error" title="We couldn't load the locations.">{locations.error.message}</Alert>;
  return (
    <ScheduleEditor
      key={`${member.version}-${member.location_ids.join(",")}`}
      member={member}
      schedule={schedule.data}
      locations={locations.data}
      timeZone={member.time_zone ?? me.data?.business.time_zone ?? "UTC"}
    />
  );
}
