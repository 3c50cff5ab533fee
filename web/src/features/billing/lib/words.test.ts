import { ApiError } from "../../../lib/api-client";
import { limitAmount, planProblem } from "./words";

const refusal = (code: string, details: Record<string, unknown>) => new ApiError("Refused.", { status: 403, code, details });

test("plan_required names the feature, the plan and the plan that lifts it", () => {
  expect(planProblem(refusal("plan_required", { feature: "whatsapp", current: false, plan: "basic", upgrade_to: "pro" }))).toEqual({
    title: "Not included in your plan",
    message: "WhatsApp messages are not included in the Basic plan. Upgrade to Pro to use them.",
    link: { to: "/settings/plans", label: "Compare plans" },
  });
  expect(planProblem(refusal("plan_required", { feature: "api_access", current: false, plan: "pro", upgrade_to: "enterprise" }))?.message).toBe(
    "API access is not included in the Pro plan. Upgrade to Enterprise to use it.",
  );
  // No plan lifts it: no upgrade is promised.
  expect(planProblem(refusal("plan_required", { feature: "campaigns", current: false, plan: "enterprise", upgrade_to: null }))?.message).toBe(
    "Campaigns are not included in the Enterprise plan.",
  );
});

test("plan_limit says what the plan includes, what is used and what lifts it", () => {
  expect(planProblem(refusal("plan_limit", { limit: "staff", current: 2, allowed: 2, plan: "basic", upgrade_to: "pro" }))?.message).toBe(
    "The Basic plan includes 2 staff members, and you have 2. Upgrade to Pro for more.",
  );
  expect(planProblem(refusal("plan_limit", { limit: "locations", current: 1, allowed: 1, plan: "basic", upgrade_to: "pro" }))?.message).toBe(
    "The Basic plan includes 1 location, and you have 1. Upgrade to Pro for more.",
  );
  expect(planProblem(refusal("plan_limit", { limit: "bookings_per_month", current: 300, allowed: 300, plan: "basic", upgrade_to: "pro" }))?.message).toBe(
    "The Basic plan includes 300 bookings a month, and 300 are used this month. New bookings are refused until the next billing period. Upgrade to Pro for more.",
  );
});

test("bookings_closed points to billing (suspended) or the plans (ended); other errors are not the plan's", () => {
  expect(planProblem(refusal("bookings_closed", { status: "suspended" }))?.link).toEqual({ to: "/settings/billing", label: "Go to billing" });
  expect(planProblem(refusal("bookings_closed", { status: "expired" }))?.link).toEqual({ to: "/settings/plans", label: "Choose a plan" });
  expect(planProblem(new ApiError("Nope.", { status: 403, code: "forbidden" }))).toBeNull();
  expect(planProblem(new Error("boom"))).toBeNull();
});

test("limits in words", () => {
  expect(limitAmount("staff", null)).toBe("Unlimited staff members");
  expect(limitAmount("messages_per_month", 0)).toBe("No WhatsApp messages a month");
  expect(limitAmount("bookings_per_month", 2000)).toBe("2,000 bookings a month");
});
