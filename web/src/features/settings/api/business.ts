// The business's own profile (GET /business). Query key "business".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export type Business = Schemas["Business"];

export const BUSINESS_KEY = ["business"] as const;

export function useBusiness() {
  const api = useApi();
  return useQuery({ queryKey: BUSINESS_KEY, queryFn: () => unwrap(api.client.GET("/business")) });
}

export type BusinessChanges = Schemas["BusinessUpdate"];

/**
 * PATCH /business with only what changed and the version it was read at: if someone saved in between,
 * the API answers 409 stale_version. The saved profile replaces the cached one; the session's copy
 * (the top bar's business name) is read again.
 */
export function useUpdateBusiness() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: BusinessChanges) => unwrap(api.client.PATCH("/business", { body: changes })),
    onSuccess: (saved) => {
      queryClient.setQueryData(BUSINESS_KEY, saved);
      void queryClient.invalidateQueries({ queryKey: ["me"] });
    },
  });
}
