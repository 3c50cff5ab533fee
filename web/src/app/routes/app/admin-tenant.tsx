import { TenantScreen } from "../../../features/admin/components/tenant-screen";

export default function Route() {
  return <TenantScreen />;
}
