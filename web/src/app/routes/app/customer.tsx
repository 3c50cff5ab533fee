import { useParams } from "react-router";
import { CustomerProfile } from "../../../features/customers/components/customer-profile";

export default function Route() {
  const { customerId = "" } = useParams();
  // Keyed by id: moving from one customer to another starts the page (dialogs, forms) afresh.
  return <CustomerProfile key={customerId} customerId={customerId} />;
}
