import { NewAppointment } from "../../../features/appointments/components/new-appointment";

export default function NewAppointmentRoute() {
  return <NewAppointment />;
}
