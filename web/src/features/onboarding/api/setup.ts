// How far a new business has got with setting itself up, read from its real data: the five steps of
// the getting-started checklist (the dashboard shows the same progress).
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { useLocations } from "../../locations/api/locations";
import { useServices } from "../../services/api/services";
import { useLinkShared } from "../../settings/api/booking-link";
import { useBusiness, type Business } from "../../settings/api/business";
import { useStaffList } from "../../staff/api/staff";

export type StepId = "profile" | "location" | "services" | "staff" | "link";

export interface SetupStep {
  id: StepId;
  title: string;
  description: string;
  done: boolean;
  /** The screen that fills this step (once done: where it is edited). */
  href: string;
  action: string;
  /** What is there already, when the step is half done ("Soho has no opening hours yet."). */
  detail?: string;
}

export interface Setup {
  isPending: boolean;
  error: Error | null;
  business: Business | undefined;
  steps: SetupStep[];
  done: number;
  total: number;
  complete: boolean;
}

/** Has the owner saved the profile or policy since sign-up (every save bumps the version)? */
export function profileReviewed(business: Business): boolean {
  return business.version > 1 || Date.parse(business.updated_at) > Date.parse(business.created_at);
}

/**
 * The first of these staff members who has weekly working hours, or null. Read one schedule at a
 * time and stop at the first found: a set-up business answers after one request.
 */
function useFirstWithHours(staffIds: string[] | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["staff", "first-with-hours", staffIds],
    enabled: staffIds !== undefined,
    queryFn: async () => {
      for (const staff_id of staffIds ?? []) {
        const schedule = await unwrap(api.client.GET("/staff/{staff_id}/schedule", { params: { path: { staff_id } } }));
        if (schedule.weekly.length > 0) return staff_id;
      }
      return null;
    },
  });
}

export function useSetup(): Setup {
  const business = useBusiness();
  const locations = useLocations();
  const services = useServices();
  const staff = useStaffList();
  const bookable = staff.data?.filter((s) => s.active && s.bookable);
  const withHours = useFirstWithHours(bookable?.map((s) => s.id));
  const shared = useLinkShared(business.data?.id);

  const queries = [business, locations, services, staff, withHours];
  const error = queries.find((q) => q.error)?.error ?? null;
  const isPending = queries.some((q) => q.isPending);

  const openLocations = (locations.data ?? []).filter((l) => !l.archived);
  const withoutHours = openLocations.find((l) => !l.opening_hours?.length);
  const hasHours = openLocations.some((l) => (l.opening_hours?.length ?? 0) > 0);
  const firstStaff = bookable?.[0];
  const hasServices = (services.data ?? []).some((s) => !s.archived);
  const staffHaveHours = typeof withHours.data === "string";

  const steps: SetupStep[] = [
    {
      id: "profile",
      title: "Check your profile and booking policy",
      description: "Your business's name, time zone, currency and contact details, and the rules for online booking: how much notice you need, how far ahead people can book, and until when they can cancel.",
      done: business.data ? profileReviewed(business.data) : false,
      href: "/settings",
      action: "Review settings",
    },
    {
      id: "location",
      title: "Add a location with its opening hours",
      description: "Where you work and when you're open. Customers only see times inside these hours.",
      done: hasHours,
      href: hasHours ? "/locations" : withoutHours ? `/locations/${withoutHours.id}` : "/locations?new=1",
      action: !hasHours && withoutHours ? "Set opening hours" : "Add a location",
      ...(!hasHours && withoutHours ? { detail: `${withoutHours.name} has no opening hours yet.` } : {}),
    },
    {
      id: "services",
      title: "Add your services",
      description: "What customers can book, how long each takes and what it costs.",
      done: hasServices,
      href: hasServices ? "/services" : "/services?new=1",
      action: "Add a service",
    },
    {
      id: "staff",
      title: "Add your team and their working hours",
      description: "Who takes appointments, and on which days and hours they work. Without working hours nobody can be booked.",
      done: staffHaveHours,
      href: staffHaveHours ? "/staff" : withHours.data === null && firstStaff ? `/staff/${firstStaff.id}` : "/staff?new=1",
      action: withHours.data === null && firstStaff ? "Set working hours" : "Add a staff member",
      ...(withHours.data === null && firstStaff
        ? { detail: bookable && bookable.length > 1 ? `None of your ${bookable.length} staff members has working hours yet.` : `${firstStaff.name} has no working hours yet.` }
        : {}),
    },
    {
      id: "link",
      title: "Share your booking link",
      description: "Put it on your website and social profiles, or print its QR code. This step is ticked once you copy, open or download it.",
      done: shared,
      href: "/settings#booking-link",
      action: "Get the QR code",
    },
  ];
  const done = steps.filter((s) => s.done).length;
  return { isPending, error, business: business.data, steps, done, total: steps.length, complete: done === steps.length };
}
