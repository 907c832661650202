import { Center, Loader } from '@mantine/core';
import { type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Loading } from '../components/Loading';
import { useAuth } from '../features/auth/auth';
import { loadNamespaces } from '../lib/i18n';
import { HomeRedirect } from './HomeRedirect';
import { NotFoundPage } from './NotFoundPage';
import { Offline } from './Offline';
import { RouteError } from './RouteError';
import {
  dashboardPage,
  invitePage,
  layoutPage,
  loginPage,
  mustChangePasswordPage,
  type PageRoute,
  pageRoutes,
} from './routes';

function FullScreenLoader() {
  return (
    <Center h="100vh">
      <Loader />
    </Center>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <FullScreenLoader />;
  if (state.status === 'offline') return <Offline />;
  if (state.status === 'anonymous') {
    const next = location.pathname + location.search;
    return (
      <Navigate
        to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}
        replace
        state={{ expired: state.expired }}
      />
    );
  }
  // A one-time password opens nothing but the way to choose one's own (the server agrees).
  if (state.me.mustChangePassword) {
    loadNamespaces(['accounts']);
    return (
      <Screen>
        <MustChangePassword />
      </Screen>
    );
  }
  return <>{children}</>;
}

// A screen loads its code (and strings) when first shown, under a loader; one that cannot be
// loaded says so.
function Screen({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <RouteError path={pathname}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </RouteError>
  );
}

function Page({ route }: { route: PageRoute }) {
  const { can } = useAuth();
  if (route.capability && !can(route.capability)) return <NotFoundPage forbidden />;
  if (route.ns) loadNamespaces(route.ns);
  const Component = route.page;
  return (
    <Screen>
      <Component />
    </Screen>
  );
}

const Login = loginPage;
const Invite = invitePage;
const MustChangePassword = mustChangePasswordPage;
const Dashboard = dashboardPage;
const Layout = layoutPage;

// The signed-in frame loads like a screen: under a loader, with a retry if its code does not come.
function Frame() {
  const { pathname } = useLocation();
  return (
    <RouteError path={pathname}>
      <Suspense fallback={<FullScreenLoader />}>
        <Layout />
      </Suspense>
    </RouteError>
  );
}

export function App() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <Screen>
            <Login />
          </Screen>
        }
      />
      <Route
        path="/undangan/:token"
        element={
          <Screen>
            <Invite />
          </Screen>
        }
      />
      <Route
        element={
          <RequireSession>
            <Frame />
          </RequireSession>
        }
      >
        <Route
          index
          element={
            <HomeRedirect
              dashboard={
                <Screen>
                  <Dashboard />
                </Screen>
              }
            />
          }
        />
        {pageRoutes.map((route) => (
          // A screen of its own for each route: the one left is removed, not kept hidden behind
          // the next one's loader, where its answers could still move the visitor (Root.tsx).
          <Route
            key={route.path}
            path={route.path.slice(1)}
            element={<Page key={route.path} route={route} />}
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
