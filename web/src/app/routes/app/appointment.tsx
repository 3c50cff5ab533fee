import { Link, useParams } from "react-router";
import { PageHeader } from "../../../components/ui/page-header";
import { AppointmentPanel } from "../../../features/appointments/components/appointment-panel";

export default function AppointmentRoute() {
  const { appointmentId = "" } = useParams();
  return (
    <>
      <PageHeader title="Appointment" actions={<Link to="/calendar" className="btn btn-secondary btn-sm">Back to the calendar</Link>} />
      <div className="card">
        <AppointmentPanel appointmentId={appointmentId} />
      </div>
    </>
  );
}
