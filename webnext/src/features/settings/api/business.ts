// The business's own profile (GET /business). Query key "business".
import { useQuery } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export type Business = Schemas["Business"];

export const BUSINESS_KEY = ["business"] as const;

export function useBusiness() {
  const api = useApi();
  return useQuery({ queryKey: BUSINESS_KEY, queryFn: () => unwrap(api.client.GET("/business")) });
}
