import { PlansScreen } from "../../../features/billing/components/plans-screen";

export default function Route() {
  return <PlansScreen />;
}
