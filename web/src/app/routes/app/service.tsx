import { useParams } from "react-router";
import { ServiceEditor } from "../../../features/services/components/service-editor";

export default function ServiceRoute() {
  const { serviceId = "new" } = useParams();
  // A new key per service: moving from one service to another starts a fresh form.
  return <ServiceEditor key={serviceId} serviceId={serviceId} />;
}
