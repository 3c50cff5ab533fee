import { ManagePage } from "../../../features/customer-pages/components/manage-page";

export default function Route() {
  return <ManagePage />;
}
