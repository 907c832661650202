import { matchPath } from 'react-router';
import { type Capability, fetchMe, meKey } from '../features/auth/auth';
import { summaryQuery } from '../features/reports/queries';
import { loadNamespaces } from '../lib/i18n';
import { queryClient } from '../lib/query';
import type { Me } from '../lib/types';
import { type LazyPage, lazyPage } from './lazy';

export type PageRoute = {
  path: string;
  page: LazyPage;
  // Who may open it; without one, everyone signed in.
  capability?: Capability;
  // The i18n namespaces its screen uses beyond web and errors, fetched with its code.
  ns?: readonly string[];
};

export const loginPage = lazyPage(() => import('../features/auth/LoginPage'), 'LoginPage');
export const invitePage = lazyPage(() => import('../features/users/InvitePage'), 'InvitePage');
export const mustChangePasswordPage = lazyPage(
  () => import('../features/users/MustChangePasswordPage'),
  'MustChangePasswordPage',
);
export const dashboardPage = lazyPage(() => import('../features/reports/DashboardPage'), 'DashboardPage');
// The signed-in frame (header, menu, navigation) is a chunk of its own: the sign-in screen,
// every session's first, does not download or run it.
export const layoutPage = lazyPage(() => import('./Layout'), 'Layout');

// Every screen of the signed-in app, each a chunk of its own. A static path comes before the
// parameterised one it would also match (registry/new before registry/:id).
export const pageRoutes: PageRoute[] = [
  {
    path: '/complaints',
    page: lazyPage(() => import('../features/complaints/ComplaintsPage'), 'ComplaintsPage'),
    capability: 'handleComplaints',
    ns: ['complaints'],
  },
  {
    path: '/complaints/new',
    page: lazyPage(() => import('../features/complaints/ComplaintCreatePage'), 'ComplaintCreatePage'),
    capability: 'handleComplaints',
    ns: ['complaints'],
  },
  {
    path: '/complaints/:id',
    page: lazyPage(() => import('../features/complaints/ComplaintPage'), 'ComplaintPage'),
    capability: 'handleComplaints',
    ns: ['complaints'],
  },
  {
    path: '/notification-templates',
    page: lazyPage(
      () => import('../features/notifications/NotificationTemplatesPage'),
      'NotificationTemplatesPage',
    ),
    capability: 'manageNotificationTemplates',
    ns: ['notifications'],
  },
  {
    path: '/registry',
    page: lazyPage(() => import('../features/businesses/RegistryPage'), 'RegistryPage'),
    capability: 'readBusinesses',
    ns: ['registry'],
  },
  {
    path: '/registry/new',
    page: lazyPage(() => import('../features/businesses/BusinessCreatePage'), 'BusinessCreatePage'),
    capability: 'createBusinesses',
  },
  {
    path: '/registry/import',
    page: lazyPage(() => import('../features/imports/ImportPage'), 'ImportPage'),
    capability: 'createBusinesses',
    ns: ['imports'],
  },
  {
    path: '/registry/duplicates',
    page: lazyPage(() => import('../features/dedup/DedupPage'), 'DedupPage'),
    capability: 'revealPersonalData',
    ns: ['dedup'],
  },
  {
    path: '/registry/kecamatan',
    page: lazyPage(() => import('../features/registrations/RegistryOverviewPage'), 'RegistryOverviewPage'),
    capability: 'verifyRegistrations',
    ns: ['field'],
  },
  {
    path: '/registry/registrations/new',
    page: lazyPage(() => import('../features/registrations/WalkRegistrationPage'), 'WalkRegistrationPage'),
    capability: 'verifyRegistrations',
    ns: ['field'],
  },
  {
    path: '/registry/registrations',
    page: lazyPage(() => import('../features/registrations/RegistrationQueuePage'), 'RegistrationQueuePage'),
    capability: 'verifyRegistrations',
    ns: ['field'],
  },
  {
    path: '/registry/identity-reviews',
    page: lazyPage(() => import('../features/businesses/IdentityReviewsPage'), 'IdentityReviewsPage'),
    capability: 'reviewIdentities',
    ns: ['registry'],
  },
  {
    path: '/registry/:id/sales',
    page: lazyPage(() => import('../features/sales/BusinessSalesPage'), 'BusinessSalesPage'),
    capability: 'readSales',
    ns: ['market'],
  },
  {
    path: '/registry/:id/storefront',
    page: lazyPage(() => import('../features/storefronts/StorefrontPage'), 'StorefrontPage'),
    capability: 'editStorefronts',
    ns: ['market'],
  },
  {
    path: '/sales',
    page: lazyPage(() => import('../features/sales/SalesPage'), 'SalesPage'),
    capability: 'readSales',
    ns: ['market'],
  },
  {
    path: '/events',
    page: lazyPage(() => import('../features/events/EventsPage'), 'EventsPage'),
    capability: 'readEvents',
    ns: ['market'],
  },
  {
    path: '/events/:id',
    page: lazyPage(() => import('../features/events/EventPage'), 'EventPage'),
    capability: 'readEvents',
    ns: ['market'],
  },
  {
    path: '/registry/:id',
    page: lazyPage(() => import('../features/businesses/BusinessPage'), 'BusinessPage'),
    capability: 'readBusinesses',
    ns: ['notifications'],
  },
  {
    path: '/programs',
    page: lazyPage(() => import('../features/programs/ProgramsPage'), 'ProgramsPage'),
    capability: 'readPrograms',
  },
  {
    path: '/programs/new',
    page: lazyPage(() => import('../features/programs/ProgramEditor'), 'ProgramEditor'),
    capability: 'writePrograms',
    ns: ['rules'],
  },
  {
    path: '/programs/:id/edit',
    page: lazyPage(() => import('../features/programs/ProgramEditor'), 'ProgramEditor'),
    capability: 'writePrograms',
    ns: ['rules'],
  },
  {
    path: '/programs/:id/screening',
    page: lazyPage(() => import('../features/screening/ScreeningPage'), 'ScreeningPage'),
    capability: 'revealPersonalData',
    ns: ['screening', 'rules', 'enrolment'],
  },
  {
    path: '/exclusions',
    page: lazyPage(() => import('../features/exclusions/ExclusionListsPage'), 'ExclusionListsPage'),
    capability: 'writePrograms',
    ns: ['screening'],
  },
  {
    path: '/programs/:id/:tab?',
    page: lazyPage(() => import('../features/programs/ProgramPage'), 'ProgramPage'),
    capability: 'readPrograms',
    ns: ['apply', 'rules', 'notifications', 'training', 'outcomes'],
  },
  {
    path: '/sessions/:id',
    page: lazyPage(() => import('../features/training/SessionPage'), 'SessionPage'),
    capability: 'readPrograms',
    ns: ['attendance', 'training'],
  },
  {
    path: '/aid/handover/:businessId',
    page: lazyPage(() => import('../features/aid/HandoverPage'), 'HandoverPage'),
    capability: 'writeAid',
    ns: ['aid'],
  },
  {
    path: '/aid/:tab?',
    page: lazyPage(() => import('../features/aid/AidPage'), 'AidPage'),
    capability: 'readAid',
    ns: ['aid'],
  },
  {
    path: '/products',
    page: lazyPage(() => import('../features/catalog/ProductsPage'), 'ProductsPage'),
    capability: 'writeProducts',
    ns: ['curation', 'catalog'],
  },
  {
    path: '/outcomes',
    page: lazyPage(() => import('../features/outcomes/OutcomesPage'), 'OutcomesPage'),
    capability: 'readReports',
    ns: ['outcomes'],
  },
  {
    path: '/audit',
    page: lazyPage(() => import('../features/audit/AuditPage'), 'AuditPage'),
    capability: 'readAudit',
    ns: ['audit'],
  },
  {
    path: '/audit/personal-data',
    page: lazyPage(() => import('../features/audit/PersonalDataLogPage'), 'PersonalDataLogPage'),
    capability: 'readAudit',
    ns: ['registry'],
  },
  {
    path: '/users',
    page: lazyPage(() => import('../features/users/UsersPage'), 'UsersPage'),
    capability: 'manageUsers',
    ns: ['accounts'],
  },
  {
    path: '/organisations',
    page: lazyPage(() => import('../features/users/OrganisationsPage'), 'OrganisationsPage'),
    capability: 'manageUsers',
    ns: ['accounts'],
  },
  {
    path: '/settings',
    page: lazyPage(() => import('../features/settings/SettingsPage'), 'SettingsPage'),
    capability: 'manageSettings',
    ns: ['accounts'],
  },
  {
    path: '/account',
    page: lazyPage(() => import('../features/users/AccountPage'), 'AccountPage'),
    ns: ['accounts'],
  },
];

// At start-up, the screen the address names is fetched alongside the app's own code and
// strings rather than after them.
export function preloadPage(pathname: string): void {
  if (pathname === '/login') {
    loginPage.preload();
    return;
  }
  layoutPage.preload();
  if (pathname === '/') {
    dashboardPage.preload();
    // The dashboard's figures are asked for as soon as the session check says who is signed in
    // (and that they may read them), while the screen's code is still loading, rather than after
    // it has loaded and rendered.
    void queryClient
      .prefetchQuery({ queryKey: meKey, queryFn: ({ signal }) => fetchMe(signal), staleTime: Infinity })
      .then(() => {
        if (queryClient.getQueryData<Me | null>(meKey)?.capabilities.includes('readReports'))
          void queryClient.prefetchQuery(summaryQuery);
      });
    return;
  }
  const route = pageRoutes.find((r) => matchPath(r.path, pathname));
  if (!route) return;
  route.page.preload();
  if (route.ns) loadNamespaces(route.ns);
}
