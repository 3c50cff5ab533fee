import { CustomersImport } from "../../../features/customers/components/customers-import";

export default function Route() {
  return <CustomersImport />;
}
