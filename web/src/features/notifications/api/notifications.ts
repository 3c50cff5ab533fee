// The notification settings, the message templates and the delivery log (GET/PUT
// /notifications/settings, /notifications/templates/{key}, GET /notifications/log).
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { LOG_PAGE_SIZE } from "../utils/notifications";

const SETTINGS_KEY = ["notifications", "settings"] as const;
const TEMPLATES_KEY = ["notifications", "templates"] as const;

export function useNotificationSettings() {
  const api = useApi();
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => unwrap(api.client.GET("/notifications/settings")) });
}

export function useUpdateNotificationSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["NotificationSettingsUpdate"]) => unwrap(api.client.PUT("/notifications/settings", { body })),
    onSuccess: (saved) => queryClient.setQueryData(SETTINGS_KEY, saved),
  });
}

export function useNotificationTemplates() {
  const api = useApi();
  return useQuery({ queryKey: TEMPLATES_KEY, queryFn: () => unwrap(api.client.GET("/notifications/templates")) });
}

export function useSaveTemplate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: string; body: Schemas["NotificationTemplateUpdate"] }) =>
      unwrap(api.client.PUT("/notifications/templates/{template_key}", { params: { path: { template_key: key } }, body })),
    onSuccess: (saved) =>
      queryClient.setQueryData<Schemas["NotificationTemplates"]>(TEMPLATES_KEY, (list) =>
        list ? { ...list, items: list.items.map((t) => (t.key === saved.key ? saved : t)) } : list,
      ),
  });
}

/** Back to the default wording: the list is read again, as only the server knows the default. */
export function useResetTemplate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => unwrap(api.client.DELETE("/notifications/templates/{template_key}", { params: { path: { template_key: key } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY }),
  });
}

export interface LogFilters {
  appointment_id?: string;
  customer_id?: string;
}

/** The delivery log, newest first, a page at a time; an entry already shown is not repeated. */
export function useDeliveryLog(filters: LogFilters) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ["notifications", "log", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.client.GET("/notifications/log", {
          params: { query: { limit: LOG_PAGE_SIZE, ...filters, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    select: (data) => {
      const seen = new Set<string>();
      const items = data.pages.flatMap((p) => p.items).filter((item) => !seen.has(item.id) && Boolean(seen.add(item.id)));
      return { items };
    },
  });
}
