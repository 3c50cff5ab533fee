import { CustomersScreen } from "../../../features/customers/components/customers-screen";

export default function Route() {
  return <CustomersScreen />;
}
