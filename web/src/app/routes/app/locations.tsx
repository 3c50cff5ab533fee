import { LocationsList } from "../../../features/locations/components/locations-list";

export default function LocationsRoute() {
  return <LocationsList />;
}
