import { useParams } from "react-router";
import { LocationEditor } from "../../../features/locations/components/location-editor";

export default function LocationRoute() {
  const { locationId = "new" } = useParams();
  // A new key per location: moving from one location to another starts a fresh form.
  return <LocationEditor key={locationId} locationId={locationId} />;
}
