import { BillingScreen } from "../../../features/billing/components/billing-screen";

export default function Route() {
  return <BillingScreen />;
}
