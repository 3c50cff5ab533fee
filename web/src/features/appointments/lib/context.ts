// What the appointment screens share: the locale their times are written in, the zone they are
// shown in, and names for the ids an appointment holds.
import { useMemo } from "react";
import { useMe } from "../../../lib/session";
import { useLocations } from "../../locations/api/locations";
import { useServices } from "../../services/api/services";
import { useStaffList } from "../../staff/api/staff";


/** Services, staff and locations (archived and inactive ones too: old appointments name them). */
export function useNames() {
  const services = useServices({ includeArchived: true });
  const staff = useStaffList({ includeInactive: true });
  const locations = useLocations({ includeArchived: true });
  const me = useMe();
  return useMemo(() => {
    const serviceList = services.data ?? [];
    const staffList = staff.data ?? [];
    const locationList = locations.data ?? [];
    return {
      services: serviceList,
      staff: staffList,
      locations: locationList,
      me: me.data,
      service: (id: string) => serviceList.find((s) => s.id === id),
      staffName: (id: string) => staffList.find((s) => s.id === id)?.name ?? "A former staff member",
      location: (id: string) => locationList.find((l) => l.id === id),
      /** The zone a place's times are shown in: the location's own, else the business's. */
      zoneOf: (locationId: string | null | undefined) =>
        locationList.find((l) => l.id === locationId)?.time_zone ?? me.data?.business.time_zone ?? "UTC",
      /** A staff-role member books and moves only in their own calendar: their staff profile. */
      ownStaff: me.data?.role === "staff" ? staffList.find((s) => s.user_id === me.data?.user.id) : undefined,
      loading: services.isPending || staff.isPending || locations.isPending || me.isPending,
    };
  }, [services.data, staff.data, locations.data, me.data, services.isPending, staff.isPending, locations.isPending, me.isPending]);
}

export type Names = ReturnType<typeof useNames>;
