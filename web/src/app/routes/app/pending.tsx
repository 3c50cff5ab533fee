import { PendingInbox } from "../../../features/calendar/components/pending-inbox";

export default function Route() {
  return <PendingInbox />;
}
