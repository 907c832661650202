import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { LoginBody } from '../../../../src/modules/auth/auth.schema';
import { type ApiError, api, onUnauthenticated } from '../../lib/api';
import type { Me } from '../../lib/types';

export type Capability =
  | 'readBusinesses'
  | 'curateProducts'
  | 'writeBusinesses'
  | 'createBusinesses'
  | 'revealPersonalData'
  | 'reviewIdentities'
  | 'readPrograms'
  | 'writePrograms'
  | 'readApplications'
  | 'apply'
  | 'decideApplications'
  | 'recordAttendance'
  | 'issueCertificates'
  | 'recordLateAttendance'
  | 'readAid'
  | 'writeAid'
  | 'writeProducts'
  | 'readReports'
  | 'readAudit'
  | 'manageUsers'
  | 'manageSettings'
  | 'composeRules'
  | 'readParticipants'
  | 'screenRegistry'
  | 'verifyRegistrations'
  | 'readProducts'
  | 'readAllProducts'
  | 'applyOnBehalf'
  | 'actForAnyOrganisation'
  | 'editRegistryKeys'
  | 'confirmReceipt'
  | 'readAllJobs'
  | 'retryAnyJob'
  | 'manageNotificationTemplates'
  | 'handleComplaints'
  | 'editStorefronts'
  | 'readSales'
  | 'recordSales'
  | 'readEvents'
  | 'manageEvents'
  | 'followUpGraduates';

type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signedIn'; me: Me }
  | { status: 'offline'; error: ApiError };

type AuthContextValue = {
  state: AuthState;
  me: Me | null;
  can: (capability: Capability) => boolean;
  login: (body: LoginBody) => Promise<Me>;
  logout: () => Promise<void>;
  retry: () => void;
};

const AuthContext = createContext<AuthContextValue | null>(null);

export const meKey = ['auth', 'me'] as const;

// Who is signed in: the user, or null when nobody is (401).
export function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  return api<Me>('/auth/me', { signal }).catch((error: ApiError) => {
    if (error.status === 401) return null;
    throw error;
  });
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const me = useQuery({ queryKey: meKey, queryFn: ({ signal }) => fetchMe(signal), staleTime: Infinity });
  const [expired, setExpired] = useState(false);

  // Another user's data must not outlive the sign-in it was fetched with.
  const signOut = useCallback(
    (wasExpired: boolean) => {
      setExpired(wasExpired);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      client.setQueryData(meKey, null);
    },
    [client],
  );

  useEffect(
    () =>
      onUnauthenticated(() => {
        if (client.getQueryData(meKey)) signOut(true);
      }),
    [client, signOut],
  );

  const login = useCallback(
    async (body: LoginBody) => {
      const user = await api<Me>('/auth/login', { method: 'POST', body });
      setExpired(false);
      client.setQueryData(meKey, user);
      return user;
    },
    [client],
  );
  const logout = useCallback(async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    signOut(false);
  }, [signOut]);

  const { data, error, isPending, isFetching, refetch } = me;
  const value = useMemo<AuthContextValue>(() => {
    const state: AuthState =
      isPending || (isFetching && !data)
        ? { status: 'loading' }
        : data
          ? { status: 'signedIn', me: data }
          : error
            ? { status: 'offline', error }
            : { status: 'anonymous', expired };
    const user = data ?? null;
    return {
      state,
      me: user,
      can: (capability) => user?.capabilities.includes(capability) ?? false,
      login,
      logout,
      retry: () => void refetch(),
    };
  }, [data, error, isPending, isFetching, expired, login, logout, refetch]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

// Inside the signed-in shell `me` is always present.
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
