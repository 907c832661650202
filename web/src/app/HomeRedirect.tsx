import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useAuth, useMe } from '../features/auth/auth';

// Leadership and officers land on the dashboard; an owner on its own business.
export function HomeRedirect({ dashboard }: { dashboard: ReactNode }) {
  const { can } = useAuth();
  const me = useMe();
  if (can('readReports')) return <>{dashboard}</>;
  if (me.scope.ownBusinesses) return <Navigate to="/registry" replace />;
  if (can('readPrograms')) return <Navigate to="/programs" replace />;
  return <Navigate to="/registry" replace />;
}
