import { FinishGoogleConnect } from "../../../features/calendar-sync/components/finish-google-connect";

export default function Route() {
  return <FinishGoogleConnect />;
}
