// Customers: search, one customer's record and history, and the changes. Query keys start with
// "customers"; a change invalidates them all (lists, records and histories alike).
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

/** A customer as lists and writes answer it (no notes, no consents). */
export type Customer = Schemas["chalicelib.customers.routes.Customer"];
export type CustomerRecord = Schemas["CustomerRecord"];
export type NewCustomer = Schemas["NewCustomer"];
export type CustomerUpdate = Schemas["CustomerUpdate"];

export const CUSTOMERS_KEY = ["customers"] as const;
export const customerKey = (customerId: string) => ["customers", "record", customerId] as const;

/** The API's longest search text. */
export const MAX_QUERY_LENGTH = 100;

export interface CustomerFilter {
  q: string;
  tag: string;
}

/** A search page by page ("Load more"); an empty text or tag is not sent. */
export function useCustomerSearch({ q, tag }: CustomerFilter, { limit = 50, enabled = true }: { limit?: number; enabled?: boolean } = {}) {
  const api = useApi();
  const text = q.trim().slice(0, MAX_QUERY_LENGTH);
  const tagText = tag.trim();
  return useInfiniteQuery({
    queryKey: ["customers", "search", { q: text, tag: tagText, limit }],
    enabled,
    // The list stays on screen while the next search runs, rather than blinking to "Loading".
    placeholderData: keepPreviousData,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.client.GET("/customers", {
          params: { query: { limit, cursor: pageParam, ...(text ? { q: text } : {}), ...(tagText ? { tag: tagText } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useCustomer(customerId: string, { enabled = true }: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    enabled,
    queryKey: customerKey(customerId),
    queryFn: () => unwrap(api.client.GET("/customers/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
}

/** The customer's appointments, latest first, page by page. */
export function useCustomerAppointments(customerId: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ["customers", "appointments", customerId],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.client.GET("/customers/{customer_id}/appointments", {
          params: { path: { customer_id: customerId }, query: { limit: 20, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** The full record (notes, consents) of a customer, read once and kept in the cache. */
export function useFetchCustomerRecord() {
  const api = useApi();
  const queryClient = useQueryClient();
  return (customerId: string) =>
    queryClient.fetchQuery({
      queryKey: customerKey(customerId),
      queryFn: () => unwrap(api.client.GET("/customers/{customer_id}", { params: { path: { customer_id: customerId } } })),
    });
}

function useInvalidateCustomers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
}

export function useCreateCustomer() {
  const api = useApi();
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (body: NewCustomer) => unwrap(api.client.POST("/customers", { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateCustomer(customerId: string) {
  const api = useApi();
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (body: CustomerUpdate) =>
      unwrap(api.client.PATCH("/customers/{customer_id}", { params: { path: { customer_id: customerId } }, body })),
    onSuccess: invalidate,
  });
}

export function useAddNote(customerId: string) {
  const api = useApi();
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(api.client.POST("/customers/{customer_id}/notes", { params: { path: { customer_id: customerId } }, body: { body } })),
    onSuccess: invalidate,
  });
}

export function useEraseCustomer(customerId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.client.DELETE("/customers/{customer_id}", { params: { path: { customer_id: customerId } } })),
    // The appointments keep the (now anonymised) customer: their names change too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY }),
        queryClient.invalidateQueries({ queryKey: ["appointments"] }),
      ]),
  });
}

export function useImportCustomers() {
  const api = useApi();
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (body: Schemas["CustomerImport"]) => unwrap(api.client.POST("/customers/import", { body })),
    onSuccess: invalidate,
  });
}
