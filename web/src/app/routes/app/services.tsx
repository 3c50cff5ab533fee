import { ServicesList } from "../../../features/services/components/services-list";

export default function ServicesRoute() {
  return <ServicesList />;
}
