import { StaffList } from "../../../features/staff/components/staff-list";

export default function Route() {
  return <StaffList />;
}
