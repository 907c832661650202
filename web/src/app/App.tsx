import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { type Capability, useAuth } from '../features/auth/auth';
import { Layout } from './Layout';
import { Offline } from './Offline';
import { DedupPage } from '../features/dedup/DedupPage';
import { ExclusionListsPage } from '../features/exclusions/ExclusionListsPage';
import { ImportPage } from '../features/imports/ImportPage';
import { ProgramEditor } from '../features/programs/ProgramEditor';
import { PersonalDataLogPage } from '../features/audit/PersonalDataLogPage';
import { ScreeningPage } from '../features/screening/ScreeningPage';
import { AidPage } from '../features/aid/AidPage';
import { AuditPage } from '../features/audit/AuditPage';
import { BusinessCreatePage } from '../features/businesses/BusinessCreatePage';
import { BusinessPage } from '../features/businesses/BusinessPage';
import { DashboardPage } from '../features/reports/DashboardPage';
import { HomeRedirect } from './HomeRedirect';
import { LoginPage } from '../features/auth/LoginPage';
import { NotFoundPage } from './NotFoundPage';
import { ProductsPage } from '../features/catalog/ProductsPage';
import { ProgramPage } from '../features/programs/ProgramPage';
import { ProgramsPage } from '../features/programs/ProgramsPage';
import { RegistryPage } from '../features/businesses/RegistryPage';
import { SessionPage } from '../features/training/SessionPage';

function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
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
  return <>{children}</>;
}

function Allow({ capability, children }: { capability: Capability; children: ReactNode }) {
  const { can } = useAuth();
  return can(capability) ? children : <NotFoundPage forbidden />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<HomeRedirect dashboard={<DashboardPage />} />} />
        <Route
          path="registry"
          element={
            <Allow capability="readBusinesses">
              <RegistryPage />
            </Allow>
          }
        />
        <Route
          path="registry/new"
          element={
            <Allow capability="createBusinesses">
              <BusinessCreatePage />
            </Allow>
          }
        />
        <Route
          path="registry/import"
          element={
            <Allow capability="createBusinesses">
              <ImportPage />
            </Allow>
          }
        />
        <Route
          path="registry/duplicates"
          element={
            <Allow capability="revealPersonalData">
              <DedupPage />
            </Allow>
          }
        />
        <Route
          path="registry/:id"
          element={
            <Allow capability="readBusinesses">
              <BusinessPage />
            </Allow>
          }
        />
        <Route
          path="programs"
          element={
            <Allow capability="readPrograms">
              <ProgramsPage />
            </Allow>
          }
        />
        <Route
          path="programs/new"
          element={
            <Allow capability="writePrograms">
              <ProgramEditor />
            </Allow>
          }
        />
        <Route
          path="programs/:id/edit"
          element={
            <Allow capability="writePrograms">
              <ProgramEditor />
            </Allow>
          }
        />
        <Route
          path="programs/:id/screening"
          element={
            <Allow capability="revealPersonalData">
              <ScreeningPage />
            </Allow>
          }
        />
        <Route
          path="exclusions"
          element={
            <Allow capability="writePrograms">
              <ExclusionListsPage />
            </Allow>
          }
        />
        <Route
          path="programs/:id/:tab?"
          element={
            <Allow capability="readPrograms">
              <ProgramPage />
            </Allow>
          }
        />
        <Route
          path="sessions/:id"
          element={
            <Allow capability="readPrograms">
              <SessionPage />
            </Allow>
          }
        />
        <Route
          path="aid/:tab?"
          element={
            <Allow capability="readAid">
              <AidPage />
            </Allow>
          }
        />
        <Route
          path="products"
          element={
            <Allow capability="writeProducts">
              <ProductsPage />
            </Allow>
          }
        />
        <Route
          path="audit"
          element={
            <Allow capability="readAudit">
              <AuditPage />
            </Allow>
          }
        />
        <Route
          path="audit/personal-data"
          element={
            <Allow capability="readAudit">
              <PersonalDataLogPage />
            </Allow>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
