/** Who is signed in, demo-mode information for the sign-in page, sign-in and sign-out. */
import type { User } from '@mm/shared';
import { ApiError, getJson, postJson } from './client.ts';

export interface Me { user: User; demo: boolean }
export interface DemoInfo { demo: boolean; password?: string; accounts: { email: string; name: string; role: string; regions: string[] }[] }

/** How people may sign in here (GET /auth/sign-in-options): a password, and/or the single sign-on provider. */
export interface SignInOptions { password: boolean; sso: { name: string; startUrl: string } | null }

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or null when signed out (a 401 is an answer here, not an error). */
export function meQuery() {
  return {
    queryKey: meKey,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<Me | null> => {
      try {
        return await getJson<Me>('/auth/me', signal);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  };
}

export function demoInfoQuery() {
  return {
    queryKey: ['demo-info'] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => getJson<DemoInfo>('/demo-info', signal),
    staleTime: Infinity,
    retry: false,
  };
}

export function signInOptionsQuery() {
  return {
    queryKey: ['sign-in-options'] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => getJson<SignInOptions>('/auth/sign-in-options', signal),
    staleTime: Infinity,
    retry: false,
  };
}

export function signIn(email: string, password: string): Promise<Me> {
  return postJson<Me>('/auth/login', { email, password });
}

export function signOut(): Promise<void> {
  return postJson<void>('/auth/logout');
}
