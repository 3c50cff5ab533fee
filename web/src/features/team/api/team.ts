// The team: the logins of this business (GET /business/users, every page) and its open invitations.
// Query key "team".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export type Member = Schemas["Member"];
export type OpenInvitation = Schemas["OpenInvitation"];
export type Role = Member["role"];

export const TEAM_KEY = ["team"] as const;
export const ROLES: readonly Role[] = ["owner", "admin", "staff"];
export const ROLE_LABEL: Record<Role, string> = { owner: "Owner", admin: "Admin", staff: "Staff" };
export const ROLE_DESCRIPTION: Record<Role, string> = {
  owner: "Everything, including billing and the team's owners",
  admin: "Manages the business, its settings and the team",
  staff: "Sees and manages their own calendar",
};

/** The roles `callerRole` may give (only owners grant owner). */
export function grantableRoles(callerRole: Role): Role[] {
  return callerRole === "owner" ? [...ROLES] : ROLES.filter((r) => r !== "owner");
}

/** May `callerRole` change or remove a member who has `memberRole`? (Owners alone touch owners.) */
export function canManage(callerRole: Role, memberRole: Role): boolean {
  return callerRole === "owner" || (callerRole === "admin" && memberRole !== "owner");
}

const MAX_PAGES = 50;

/** Every member (following next_cursor) and the open invitations (sent with the first page). */
export function useTeam({ enabled = true }: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: TEAM_KEY,
    enabled,
    queryFn: async () => {
      const members: Member[] = [];
      let invitations: OpenInvitation[] = [];
      let cursor: string | null = null;
      for (let n = 0; n < MAX_PAGES; n += 1) {
        const page: Schemas["Team"] = await unwrap(api.client.GET("/business/users", { params: { query: { limit: 100, cursor } } }));
        members.push(...page.items);
        if (n === 0) invitations = page.invitations;
        cursor = page.next_cursor ?? null;
        if (!cursor) break;
      }
      return { members, invitations };
    },
  });
}

function useInvalidateTeam() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: TEAM_KEY });
}

export function useInvite() {
  const api = useApi();
  const invalidate = useInvalidateTeam();
  return useMutation({
    // A fresh key per invitation sent: a retry by the network layer is not a second e-mail.
    mutationFn: (body: Schemas["Invitation"]) =>
      unwrap(api.client.POST("/business/users/invitations", { params: { header: { "Idempotency-Key": crypto.randomUUID() } }, body })),
    onSuccess: invalidate,
  });
}

export function useChangeRole() {
  const api = useApi();
  const invalidate = useInvalidateTeam();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(api.client.PATCH("/business/users/{user_id}", { params: { path: { user_id: userId } }, body: { role } })),
    onSuccess: invalidate,
  });
}

export function useRemoveMember() {
  const api = useApi();
  const invalidate = useInvalidateTeam();
  return useMutation({
    mutationFn: (userId: string) => unwrap(api.client.DELETE("/business/users/{user_id}", { params: { path: { user_id: userId } } })),
    onSuccess: invalidate,
  });
}
