import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi } from "../../../testing/fake-api";
import { IDS, page, service, stylist } from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { StaffServices } from "./staff-services";

const SAM = IDS.amara;
const DANA = IDS.dana;
const money = (amount: number) => ({ amount, currency: "GBP" });

const member = stylist(SAM, "Sam Stylist");
const cut = service({ id: "s-cut", name: "Haircut", staff: [{ staff_id: DANA, duration_min: 30, price: money(4000) }] });
const colour = service({
  id: "s-colour",
  name: "Colour",
  staff: [
    { staff_id: SAM, duration_min: 90, price: null },
    { staff_id: DANA, duration_min: null, price: null },
  ],
});

test("ticking and unticking services puts this person in or out of each, keeping everyone's own length and price", async () => {
  const fake = fakeApi({
    "GET /services": { body: page([cut, colour]) },
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
  const fake = fakeApi({ "GET /services": { body: page([cut]) } });
  renderScreen(<StaffServices member={member} readOnly />, fake);
  expect(await screen.findByRole("checkbox", { name: "Haircut" })).toBeDisabled();
  expect(screen.queryByRole("button", { name: "Save services" })).not.toBeInTheDocument();
});
