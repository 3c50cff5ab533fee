import { ConsentPage } from "../../../features/customer-pages/components/consent-page";

export default function Route() {
  return <ConsentPage />;
}
