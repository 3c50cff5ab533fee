// What the calendar needs from the API, and the names behind the ids an appointment carries. Takes the
// API client as an argument, so it runs under node with a fake one.
//
// Appointments name their service, staff and location by id: those are small lists, read once. The
// member routes embed the customer (`customer: {id, name, email, phone}`), which is remembered; an
// appointment without one (an older answer) has its customer fetched, a few at most.

/** At most this many customers are fetched one by one for one view; the rest show as "Customer". */
export const MAX_CUSTOMER_LOOKUPS = 25;

function byId(items) {
  return new Map((items || []).map((item) => [item.id, item]));
}

export function createCalendarData(api) {
  const ref = {
    business: null,
    staff: [],
    services: new Map(),
    staffById: new Map(),
    locations: new Map(),
    customers: new Map(),
  };
  const missing = new Set(); // customer ids that could not be read (erased, or not visible)

  async function loadReference() {
    const [business, staff, services, locations] = await Promise.all([
      api.getBusiness(), api.listStaff(), api.listServices(), api.listLocations(),
    ]);
    ref.business = business;
    ref.staff = [...staff].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    ref.staffById = byId(staff);
    ref.services = byId(services);
    ref.locations = byId(locations);
    return ref;
  }

  /** Read the customers `appointments` name that the list did not hold (a few at most). */
  async function fillCustomers(appointments) {
    const unknown = [...new Set(appointments.map((a) => a.customer_id))]
      .filter((id) => id && !ref.customers.has(id) && !missing.has(id))
      .slice(0, MAX_CUSTOMER_LOOKUPS);
    await Promise.all(unknown.map(async (id) => {
      try {
        ref.customers.set(id, await api.getCustomer(id));
      } catch (err) {
        if (err && err.kind === "session_expired") throw err;
        missing.add(id);
      }
    }));
  }

  /** Every appointment starting on the local dates from..to (inclusive), with their customers known. */
  async function loadRange(from, to, filters = {}) {
    const appointments = await api.listAppointments(from, to, filters);
    appointments.forEach((a) => remember(a.customer));
    await fillCustomers(appointments);
    return appointments;
  }

  function remember(customer) {
    if (customer && customer.id) ref.customers.set(customer.id, customer);
  }

  const names = {
    service: (id) => (ref.services.get(id) || {}).name || "Service",
    staff: (id) => (ref.staffById.get(id) || {}).name || "Former staff member",
    location: (id) => (ref.locations.get(id) || {}).name || "",
    customer: (id) => (ref.customers.get(id) || {}).name || "Customer",
  };

  /** Members' user ids → their staff profile's name (for history entries). */
  function memberNames() {
    return new Map(ref.staff.filter((s) => s.user_id).map((s) => [s.user_id, s.name]));
  }

  return { ref, loadReference, loadRange, fillCustomers, remember, names, memberNames };
}

/** The active staff who perform `service` (its `staff` list: nobody else can be booked for it). */
export function performersOf(service, staff) {
  const ids = new Set(((service && service.staff) || []).map((p) => p.staff_id));
  return staff.filter((s) => s.active !== false && ids.has(s.id));
}

/** Services that can be booked now: active and not archived, by name. */
export function bookableServices(services) {
  return [...services].filter((s) => s.active !== false && !s.archived)
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}
