import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onUnauthenticated } from '../../lib/api';
import type { Me } from '../../lib/types';

export type Capability =
  | 'readBusinesses'
  | 'writeBusinesses'
  | 'createBusinesses'
  | 'revealPersonalData'
  | 'readPrograms'
  | 'writePrograms'
  | 'readApplications'
  | 'apply'
  | 'decideApplications'
  | 'recordAttendance'
  | 'issueCertificates'
  | 'readAid'
  | 'writeAid'
  | 'writeProducts'
  | 'readReports'
  | 'readAudit';

type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signedIn'; me: Me }
  | { status: 'offline'; error: ApiError };

type AuthContextValue = {
  state: AuthState;
  me: Me | null;
  can: (capability: Capability) => boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  retry: () => void;
};

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    const controller = new AbortController();
    api<Me>('/auth/me', { signal: controller.signal })
      .then((me) => setState({ status: 'signedIn', me }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401)
          setState({ status: 'anonymous', expired: false });
        else if (error instanceof ApiError) setState({ status: 'offline', error });
        else setState({ status: 'anonymous', expired: false });
      });
    return () => controller.abort();
  }, [attempt]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setState((current) =>
          current.status === 'signedIn' ? { status: 'anonymous', expired: true } : current,
        );
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const me = await api<Me>('/auth/login', { method: 'POST', body: { username, password } });
    setState({ status: 'signedIn', me });
    return me;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } finally {
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const value = useMemo<AuthContextValue>(() => {
    const me = state.status === 'signedIn' ? state.me : null;
    return {
      state,
      me,
      can: (capability) => me?.capabilities.includes(capability) ?? false,
      login,
      logout,
      retry: () => {
        setState({ status: 'loading' });
        setAttempt((a) => a + 1);
      },
    };
  }, [state, login, logout]);

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
