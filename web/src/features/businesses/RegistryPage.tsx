import { Anchor, Badge, Button, Grid, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { isIdentityQuery } from '../../../../src/modules/businesses/businesses.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import type { BusinessItem } from '../../lib/types';
import { useAuth, useMe } from '../auth/auth';
import { kbliOptions, useKbliList, useKecamatan } from '../reference/queries';
import { useBusinessesQuery } from './queries';
import { RegistryExportButton } from './RegistryExportButton';

export function RegistryPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(q.trim(), 350);
  // A NIK or phone number is looked up in a request body: it stays out of the address bar,
  // and a look-up cannot be exported.
  const identitySearch = isIdentityQuery(debounced);
  const kecamatan = params.get('kecamatan') ?? '';
  const kbli = params.get('kbli') ?? '';
  const kecamatanList = useKecamatan();
  const kbliList = useKbliList();
  const scopedToKecamatan = me.scope.kecamatan !== null;

  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (debounced && !identitySearch) next.set('q', debounced);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [debounced, identitySearch, setParams]);

  const list = useBusinessesQuery({ q: debounced, kecamatan, kbli, limit: 25 });
  const { items, error, loading, reload } = list;

  const kbliChoices = useMemo(() => kbliOptions(kbliList), [kbliList]);

  const setFilter = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  // An owner has one business (or a few): go straight to it.
  if (me.scope.ownBusinesses && !loading && items.length === 1 && !debounced && items[0]) {
    return <Navigate to={`/registry/${items[0].id}`} replace />;
  }

  const columns: Column<BusinessItem>[] = [
    {
      key: 'name',
      header: t('business.name'),
      primary: true,
      render: (b) => (
        <div>
          <Anchor component={Link} to={`/registry/${b.id}`} fw={600} className="break-anywhere">
            {b.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {b.owner.name} · {t('business.nikShort')} {b.owner.nik}
          </Text>
        </div>
      ),
    },
    {
      key: 'region',
      header: t('business.region'),
      render: (b) => (
        <Text size="sm">
          {b.kelurahanName ?? '–'}
          {b.kecamatanName ? `, ${b.kecamatanName}` : ''}
        </Text>
      ),
    },
    {
      key: 'kbli',
      header: t('field.kbli'),
      render: (b) =>
        b.kbli ? (
          <Text size="sm" title={b.kbliTitle ?? undefined}>
            {b.kbli}
          </Text>
        ) : (
          '–'
        ),
    },
    {
      key: 'size',
      header: t('field.size'),
      hideOnPhone: true,
      render: (b) => (b.size ? t(`businessSize.${b.size}`) : '–'),
    },
    {
      key: 'status',
      nowrap: true,
      header: t('field.status'),
      render: (b) => (
        <Badge variant="light" color={b.status === 'aktif' ? 'teal' : 'gray'}>
          {t(`businessStatus.${b.status}`)}
        </Badge>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={me.scope.ownBusinesses ? t('nav.myBusiness') : t('registry.title')}
        subtitle={
          scopedToKecamatan && me.organisation
            ? t('registry.scoped', { name: me.organisation.name })
            : t('registry.subtitle')
        }
        actions={
          <Group gap="xs">
            {!me.scope.ownBusinesses && !identitySearch && (
              <RegistryExportButton filters={{ q: debounced, kecamatan, kbli }} />
            )}
            {can('revealPersonalData') && (
              <Button component={Link} to="/registry/duplicates" variant="default">
                {t('registry.duplicates')}
              </Button>
            )}
            {can('createBusinesses') && (
              <Button component={Link} to="/registry/import" variant="default">
                {t('registry.import')}
              </Button>
            )}
            {can('createBusinesses') && (
              <Button component={Link} to="/registry/new" leftSection={<IconPlus size={16} />}>
                {t('registry.add')}
              </Button>
            )}
          </Group>
        }
      />
      <Grid gap="xs" mb="md">
        <Grid.Col span={{ base: 12, md: scopedToKecamatan ? 8 : 6 }}>
          <TextInput
            label={t('registry.search')}
            placeholder={t('registry.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            type="search"
            data-testid="registry-search"
          />
        </Grid.Col>
        {!scopedToKecamatan && (
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select
              label={t('field.kecamatan')}
              placeholder={t('registry.allKecamatan')}
              data={kecamatanList.map((k) => ({ value: k.code, label: k.name }))}
              value={kecamatan || null}
              onChange={(v) => setFilter('kecamatan', v)}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: scopedToKecamatan ? 12 : 6, md: scopedToKecamatan ? 4 : 3 }}>
          <Select
            label={t('field.kbli')}
            placeholder={t('registry.allKbli')}
            data={kbliChoices}
            value={kbli || null}
            onChange={(v) => setFilter('kbli', v)}
            clearable
            searchable
          />
        </Grid.Col>
      </Grid>
      <ErrorAlert error={error} onRetry={reload} />
      <Stack gap="sm">
        {!(loading && items.length === 0) && (
          <DataTable
            rows={items}
            columns={columns}
            rowKey={(b) => b.id}
            caption={t('registry.title')}
            empty={t('registry.empty')}
          />
        )}
        <PagedFooter list={list} />
      </Stack>
    </>
  );
}
