// Who is signed in: the user, their role, their business and its plan (GET /auth/me), cached for the
// whole app and dropped at log-out.
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { unwrap, type Schemas } from "./api-client";
import { useApi } from "./api-context";

export const ME_KEY = ["me"] as const;

export function useMe(): UseQueryResult<Schemas["Me"]> {
  const api = useApi();
  return useQuery({ queryKey: ME_KEY, queryFn: () => unwrap(api.client.GET("/auth/me")), staleTime: 60_000 });
}

