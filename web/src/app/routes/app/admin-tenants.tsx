import { TenantsScreen } from "../../../features/admin/components/tenants-screen";

export default function Route() {
  return <TenantsScreen />;
}
