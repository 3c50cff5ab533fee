// The account's entry points: log in, sign up, forgotten and reset password, e-mail confirmation and
// joining a team. Each one that starts a session keeps its tokens and forgets whoever was signed in
// before (their cached data must not show to the next person).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export function useLogin() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // The client presents and keeps this browser's device token for the address.
    mutationFn: ({ email, password }: { email: string; password: string }) => api.login(email, password),
    onSuccess: () => queryClient.clear(),
  });
}

export function useSignup() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["Signup"]) => unwrap(api.client.POST("/auth/signup", { body })),
    onSuccess: (answer) => {
      api.saveSession(answer);
      queryClient.clear();
    },
  });
}

export function useForgotPassword() {
  const api = useApi();
  return useMutation({
    mutationFn: (email: string) => unwrap(api.client.POST("/auth/password/forgot", { body: { email } })),
  });
}

export function useResetPassword() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ResetPassword"]) => unwrap(api.client.POST("/auth/password/reset", { body })),
    // The server ended every session of the account, this browser's too.
    onSuccess: async () => {
      await api.logout();
      queryClient.clear();
    },
  });
}

/**
 * Confirm the address of a link. A link works once, so the answer is kept for the page's life: a
 * second render (React's strict mode, going back in history) shows it again instead of asking twice.
 */
export function useVerifyEmail(token: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["auth", "verify-email", token],
    queryFn: async () => {
      await unwrap(api.client.POST("/auth/email/verify", { body: { token } }));
      // The dashboard shows the address as confirmed from now on.
      await queryClient.invalidateQueries({ queryKey: ["me"] });
      return true;
    },
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export function useAcceptInvitation() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["AcceptInvitation"]) => unwrap(api.client.POST("/auth/invitations/accept", { body })),
    onSuccess: (answer) => {
      api.saveSession(answer);
      queryClient.clear();
    },
  });
}
