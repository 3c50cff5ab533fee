import { MetricsScreen } from "../../../features/admin/components/metrics-screen";

export default function Route() {
  return <MetricsScreen />;
}
