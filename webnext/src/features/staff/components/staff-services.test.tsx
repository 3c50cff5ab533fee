import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { StaffServices } from "./staff-services";

const SAM = "5b1f0a39-1a77-4d0b-9f55-5a4d7d6f6a01";
const DANA = "0c8c5a0e-7a6e-4a63-8f0d-3f5e9b8a2b02";
const money = (amount: number) => ({ amount, currency: "GBP" });

function service(id: string, name: string, staff: Schemas["Performer"][]): Schemas["Service"] {
  return {
    id, name, staff, description: null, category: null, color: null, duration_min: 45, price: money(3500), capacity: 1,
    requires_confirmation: false, buffer_before_min: null, buffer_after_min: null, active: true, bookable_online: true,
    intake_form_id: null, archived: false, archived_at: null, version: 3, created_at: "2026-11-01T09:00:00Z", updated_at: "2026-11-01T09:00:00Z",
  };
}

const member = { id: SAM, name: "Sam Stylist" } as Schemas["StaffMember"];
const cut = service("s-cut", "Haircut", [{ staff_id: DANA, duration_min: 30, price: money(4000) }]);
const colour = service("s-colour", "Colour", [{ staff_id: SAM, duration_min: 90, price: null }, { staff_id: DANA, duration_min: null, price: null }]);

test("ticking and unticking services puts this person in or out of each, keeping everyone's own length and price", async () => {
  const fake = fakeApi({
    "GET /services": { body: { items: [cut, colour], next_cursor: null } },
    "PUT /services/{service_id}/staff": (req) => ({ body: req.body as object }),
  });
  renderScreen(<StaffServices member={member} readOnly={false} />, fake);

  const haircut = await screen.findByRole("checkbox", { name: "Haircut" });
  expect(haircut).not.toBeChecked();
  expect(screen.getByRole("checkbox", { name: "Colour" })).toBeChecked();
  expect(screen.getByRole("button", { name: "Save services" })).toBeDisabled();

  await userEvent.click(haircut);
  await userEvent.click(screen.getByRole("checkbox", { name: "Colour" }));
  await userEvent.click(screen.getByRole("button", { name: "Save services" }));

  await waitFor(() => expect(fake.callsTo("PUT /services/{service_id}/staff")).toHaveLength(2));
  const [first, second] = fake.callsTo("PUT /services/{service_id}/staff");
  expect(first?.path).toBe("/services/s-cut/staff");
  expect(first?.body).toEqual({ staff: [{ staff_id: DANA, duration_min: 30, price: money(4000) }, { staff_id: SAM, duration_min: null, price: null }] });
  expect(second?.path).toBe("/services/s-colour/staff");
  expect(second?.body).toEqual({ staff: [{ staff_id: DANA, duration_min: null, price: null }] });
  expect(await screen.findByText("Services saved.")).toBeInTheDocument();
});

test("a staff-role member sees the services read-only", async () => {
  const fake = fakeApi({ "GET /services": { body: { items: [cut], next_cursor: null } } });
  renderScreen(<StaffServices member={member} readOnly />, fake);
  expect(await screen.findByRole("checkbox", { name: "Haircut" })).toBeDisabled();
  expect(screen.queryByRole("button", { name: "Save services" })).not.toBeInTheDocument();
});
