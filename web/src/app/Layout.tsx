import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBan,
  IconBuildingCommunity,
  IconBuildingStore,
  IconCalendarEvent,
  IconCash,
  IconChartBar,
  IconClipboardCheck,
  IconExternalLink,
  IconHistory,
  IconLogout,
  IconMessage,
  IconMessageReport,
  IconPackage,
  IconSchool,
  IconSettings,
  IconShoppingBag,
  IconTools,
  IconTrendingUp,
  IconUserCircle,
  IconUserQuestion,
  IconUsers,
} from '@tabler/icons-react';
import { type ReactNode, useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Logo } from '../components/Logo';
import { type Capability, useAuth, useMe } from '../features/auth/auth';
import { reviewBadgeLimit, useIdentityReviewsQuery } from '../features/businesses/identityReviewQueries';
import { takeOverDrawnFrame } from '../lib/drawn';
import { currentLanguage } from '../lib/i18n';

type NavItem = {
  to: string;
  label: string;
  icon: ReactNode;
  capability: Capability;
  exact?: boolean;
  badge?: ReactNode;
};

export function Layout() {
  const { t } = useTranslation();
  const me = useMe();
  const { can, logout } = useAuth();
  const [opened, { toggle, open, close }] = useDisclosure(false);
  // The menu the visitor opened on the server-drawn page before the app ran stays open.
  useLayoutEffect(() => takeOverDrawnFrame(open), [open]);
  const location = useLocation();
  // the first page of the queue, for the badge
  const reviews = useIdentityReviewsQuery(reviewBadgeLimit, can('reviewIdentities'));
  const waiting = reviews.items.length;

  const items: NavItem[] = [
    {
      to: '/',
      label: t('nav.dashboard'),
      icon: <IconChartBar size={18} />,
      capability: 'readReports',
      exact: true,
    },
    {
      to: '/registry',
      label: me.scope.ownBusinesses ? t('nav.myBusiness') : t('nav.registry'),
      icon: <IconBuildingStore size={18} />,
      capability: 'readBusinesses',
    },
    {
      to: '/registry/identity-reviews',
      label: t('nav.identityReviews'),
      icon: <IconUserQuestion size={18} />,
      capability: 'reviewIdentities',
      badge:
        waiting > 0 ? (
          <Badge size="sm" color="yellow" aria-label={t('nav.identityReviewsWaiting', { count: waiting })}>
            {reviews.hasMore ? `${waiting}+` : waiting}
          </Badge>
        ) : undefined,
    },
    {
      to: '/registry/kecamatan',
      label: t('nav.registrations'),
      icon: <IconClipboardCheck size={18} />,
      capability: 'verifyRegistrations',
    },
    { to: '/programs', label: t('nav.programs'), icon: <IconSchool size={18} />, capability: 'readPrograms' },
    { to: '/aid', label: t('nav.aid'), icon: <IconTools size={18} />, capability: 'readAid' },
    { to: '/sales', label: t('nav.sales'), icon: <IconCash size={18} />, capability: 'readSales' },
    {
      to: '/events',
      label: t('nav.events'),
      icon: <IconCalendarEvent size={18} />,
      capability: 'readEvents',
    },
    {
      to: '/outcomes',
      label: t('nav.outcomes'),
      icon: <IconTrendingUp size={18} />,
      capability: 'readReports',
    },
    {
      to: '/complaints',
      label: t('nav.complaints'),
      icon: <IconMessageReport size={18} />,
      capability: 'handleComplaints',
    },
    {
      to: '/exclusions',
      label: t('nav.exclusions'),
      icon: <IconBan size={18} />,
      capability: 'writePrograms',
    },
    {
      to: '/products',
      label: t('nav.products'),
      icon: <IconPackage size={18} />,
      capability: 'writeProducts',
    },
    { to: '/audit', label: t('nav.audit'), icon: <IconHistory size={18} />, capability: 'readAudit' },
    { to: '/users', label: t('nav.users'), icon: <IconUsers size={18} />, capability: 'manageUsers' },
    {
      to: '/organisations',
      label: t('nav.organisations'),
      icon: <IconBuildingCommunity size={18} />,
      capability: 'manageUsers',
    },
    {
      to: '/notification-templates',
      label: t('nav.notificationTemplates'),
      icon: <IconMessage size={18} />,
      capability: 'manageNotificationTemplates',
    },
    {
      to: '/settings',
      label: t('nav.settings'),
      icon: <IconSettings size={18} />,
      capability: 'manageSettings',
    },
  ];
  const visible = items.filter((item) => can(item.capability));
  const matches = (item: NavItem) =>
    item.exact
      ? location.pathname === item.to
      : location.pathname === item.to ||
        location.pathname.startsWith(`${item.to}/`) ||
        (item.to === '/programs' && location.pathname.startsWith('/sessions/'));
  // the most specific item is the active one (identity reviews lie under the registry)
  const current = visible.filter(matches).sort((x, y) => y.to.length - x.to.length)[0];
  const active = (item: NavItem) => item === current;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.close') : t('nav.open')}
              // What the boot script switches the label to when it opens or closes the menu
              // before the app runs (web/prerender.ts).
              data-label-other={opened ? t('nav.open') : t('nav.close')}
              data-menu-toggle
            />
            <Link
              to="/"
              onClick={close}
              style={{ textDecoration: 'none', color: 'inherit' }}
              aria-label="Pulih"
            >
              <Logo />
            </Link>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={t('nav.account')} data-testid="account-menu" data-needs-app>
                  <Group gap={6} wrap="nowrap">
                    <Avatar size={30} radius="xl" color="pulih">
                      {initials(me.displayName)}
                    </Avatar>
                    <Text size="sm" visibleFrom="md" maw={180} truncate>
                      {me.displayName}
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.displayName}
                  <br />
                  {t(`role.${me.role}`)}
                  {me.organisation ? ` · ${me.organisation.name}` : ''}
                </Menu.Label>
                <Menu.Divider />
                <Menu.Item component={Link} to="/account" leftSection={<IconUserCircle size={16} />}>
                  {t('nav.myAccount')}
                </Menu.Item>
                <Menu.Item
                  leftSection={<IconLogout size={16} />}
                  onClick={() => void logout()}
                  data-testid="logout"
                >
                  {t('nav.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        <AppShell.Section grow component={ScrollArea}>
          {visible.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              rightSection={item.badge}
              active={active(item)}
              onClick={close}
              py="sm"
              style={{ borderRadius: 6 }}
            />
          ))}
          <NavLink
            component="a"
            href={`/katalog?lang=${currentLanguage()}`}
            target="_blank"
            rel="noopener"
            label={t('nav.catalogue')}
            leftSection={<IconShoppingBag size={18} />}
            rightSection={<IconExternalLink size={14} />}
            py="sm"
            style={{ borderRadius: 6 }}
          />
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            {t(`role.${me.role}`)}
            {me.organisation ? ` · ${me.organisation.name}` : ''}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}
