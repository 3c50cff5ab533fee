import { AcceptInvitation } from "../../../features/auth/components/accept-invitation";

export default function Route() {
  return <AcceptInvitation />;
}
