// Billing: the plan catalogue, the business's subscription (read by the layout's banner on every
// screen), usage this period, invoices, and the two ways out to Stripe (Checkout, the portal).
// Query keys start with "billing"; a return from Stripe invalidates them all.
import { useRef } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { leaveFor } from "../lib/leave";

export type Plan = Schemas["PlanOffer"];
export type Subscription = Schemas["SubscriptionState"];
export type Usage = Schemas["Usage"];
export type Invoice = Schemas["Invoices"]["items"][number];
export type CheckoutRequest = Schemas["NewCheckout"];
export type Currency = NonNullable<CheckoutRequest["currency"]>;

// The currencies Checkout sells in (typed by the API's enum: a new one fails to compile here).
const SOLD: readonly Currency[] = ["EUR", "GBP", "USD"];
export const isSold = (currency: string): currency is Currency => (SOLD as readonly string[]).includes(currency);

export const BILLING_KEY = ["billing"] as const;

/**
 * A Stripe subscription is running: paid, or taken during the free trial (the card is on file and
 * the first charge falls at the trial's end, so the status is still "trialing"). Its plan changes
 * in the portal, not through a second Checkout.
 */
export function subscribed(s: Subscription | undefined): boolean {
  return Boolean(s && s.billing_interval !== null && (s.status === "trialing" || s.status === "active" || s.status === "past_due"));
}

export function usePlans() {
  const api = useApi();
  // The catalogue changes with a deploy, not while the page is open.
  return useQuery({ queryKey: ["billing", "plans"], queryFn: () => unwrap(api.client.GET("/billing/plans")), staleTime: 10 * 60_000 });
}

export function useSubscription() {
  const api = useApi();
  return useQuery({ queryKey: ["billing", "subscription"], queryFn: () => unwrap(api.client.GET("/billing/subscription")), staleTime: 60_000 });
}

export function useUsage() {
  const api = useApi();
  return useQuery({ queryKey: ["billing", "usage"], queryFn: () => unwrap(api.client.GET("/billing/usage")) });
}

/** One page of invoices, newest first (`cursor` from the previous page's `next_cursor`). */
export function useInvoices(cursor: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["billing", "invoices", cursor],
    queryFn: () => unwrap(api.client.GET("/billing/invoices", { params: { query: { limit: 12, cursor } } })),
  });
}

/**
 * Checkout for a plan. One Idempotency-Key per choice of plan: pressing "Upgrade" again after no
 * answer gets the same session back instead of a second one.
 */
export function useCheckout() {
  const api = useApi();
  const keys = useRef(new Map<string, string>());
  return useMutation({
    mutationFn: (body: CheckoutRequest) => {
      const choice = `${body.plan}.${body.interval}.${body.currency ?? ""}`;
      const key = keys.current.get(choice) ?? crypto.randomUUID();
      keys.current.set(choice, key);
      return unwrap(api.client.POST("/billing/checkout-session", { params: { header: { "Idempotency-Key": key } }, body }));
    },
    onSuccess: ({ url }) => leaveFor(url),
  });
}

export function usePortal() {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.client.POST("/billing/portal-session")),
    onSuccess: ({ url }) => leaveFor(url),
  });
}
