import { StaffMemberScreen } from "../../../features/staff/components/staff-member";

export default function Route() {
  return <StaffMemberScreen />;
}
