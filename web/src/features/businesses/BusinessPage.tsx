import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconCertificate, IconEye, IconFileTypePdf, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AllocationBadge, ApplicationBadge } from '../../components/Badges';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatNumber, formatRupiah } from '../../lib/format';
import { currentLanguage } from '../../lib/i18n';
import type { BusinessDetail } from '../../lib/types';
import { useAuth, useMe } from '../auth/auth';
import { ConsentPanel } from '../notifications/ConsentPanel';
import { NotificationList } from '../notifications/NotificationList';
import { useBusinessQuery, useRevealPersonalData } from './queries';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} className="break-anywhere" data-testid={testId} component="div">
        {children ?? '–'}
      </Text>
    </div>
  );
}

export function BusinessPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const { data: b, error, isPending, refetch } = useBusinessQuery(id);
  const reveal = useRevealPersonalData();
  const personal = (reveal.variables === id && reveal.data) || null;

  if (isPending) return <Loading />;
  if (!b) return <ErrorAlert error={error} onRetry={refetch} />;

  const lang = currentLanguage();
  type App = BusinessDetail['applications'][number];
  type Aid = BusinessDetail['aid'][number];
  type Product = BusinessDetail['products'][number];

  const appColumns: Column<App>[] = [
    {
      key: 'program',
      header: t('business.program'),
      primary: true,
      render: (a) =>
        can('readPrograms') ? (
          <Anchor component={Link} to={`/programs/${a.programId}`} fw={600}>
            {a.programName}
          </Anchor>
        ) : (
          <Text fw={600}>{a.programName}</Text>
        ),
    },
    {
      key: 'status',
      nowrap: true,
      header: t('field.status'),
      render: (a) => <ApplicationBadge status={a.status} />,
    },
    {
      key: 'certificate',
      nowrap: true,
      header: t('business.certificate'),
      align: 'right',
      render: (a) =>
        a.certificateCode ? (
          <Group gap="xs" justify="flex-end" wrap="wrap">
            <Anchor href={`/sertifikat/${a.certificateCode}?lang=${lang}`} target="_blank" size="sm">
              <Group gap={4} wrap="nowrap">
                <IconCertificate size={14} />
                {a.certificateCode}
              </Group>
            </Anchor>
            <Anchor href={`/api/v1/certificates/${a.certificateCode}/pdf`} target="_blank" size="sm">
              <Group gap={4} wrap="nowrap">
                <IconFileTypePdf size={14} />
                PDF
              </Group>
            </Anchor>
          </Group>
        ) : (
          '–'
        ),
    },
  ];
  const aidColumns: Column<Aid>[] = [
    {
      key: 'item',
      header: t('aid.item'),
      primary: true,
      render: (a) => (
        <Text fw={600} size="sm">
          {a.item}
        </Text>
      ),
    },
    { key: 'quantity', header: t('aid.quantity'), align: 'right', render: (a) => formatNumber(a.quantity) },
    { key: 'sopd', header: t('aid.sopd'), render: (a) => a.sopd },
    {
      key: 'status',
      nowrap: true,
      header: t('field.status'),
      render: (a) => <AllocationBadge status={a.status} />,
    },
  ];
  const productColumns: Column<Product>[] = [
    {
      key: 'name',
      header: t('products.name'),
      primary: true,
      render: (p) => (
        <Text fw={600} size="sm">
          {p.name}
        </Text>
      ),
    },
    { key: 'price', header: t('products.price'), align: 'right', render: (p) => formatRupiah(p.price) },
    {
      key: 'published',
      header: t('products.published'),
      render: (p) => (
        <Badge variant="light" color={p.published ? 'teal' : 'gray'}>
          {p.published ? t('products.isPublished') : t('products.isDraft')}
        </Badge>
      ),
    },
  ];

  const owner = b.owner;
  const nik = personal?.nik ?? owner.nik;
  const showReveal = owner.nikMasked && can('revealPersonalData') && !personal;

  return (
    <>
      <PageHeader
        title={b.name}
        subtitle={[b.kelurahanName, b.kecamatanName].filter(Boolean).join(', ')}
        crumbs={me.scope.ownBusinesses ? undefined : [{ label: t('registry.title'), to: '/registry' }]}
        actions={
          <Group gap="xs">
            {can('writeProducts') && (
              <Button component={Link} to={`/products?business=${b.id}`} variant="light">
                {t('business.manageProducts')}
              </Button>
            )}
            {can('editStorefronts') && (
              <Button component={Link} to={`/registry/${b.id}/storefront`} variant="light">
                {t('business.storefront')}
              </Button>
            )}
            {can('readSales') && (
              <Button component={Link} to={`/registry/${b.id}/sales`} variant="light">
                {t('business.sales')}
              </Button>
            )}
          </Group>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md" padding="md" h="100%">
            <Title order={3} size="h5" mb="sm">
              {t('business.section')}
            </Title>
            <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
              <Field label={t('field.kbli')}>
                {b.kbli ? `${b.kbli}${b.kbliTitle ? ` · ${b.kbliTitle}` : ''}` : '–'}
              </Field>
              <Field label={t('field.status')}>{t(`businessStatus.${b.status}`)}</Field>
              <Field label={t('field.kecamatan')}>{b.kecamatanName ?? b.kecamatan}</Field>
              <Field label={t('field.kelurahan')}>{b.kelurahanName ?? b.kelurahan ?? '–'}</Field>
              <Field label={t('field.size')}>{b.size ? t(`businessSize.${b.size}`) : '–'}</Field>
              <Field label={t('field.covidImpacted')}>
                {b.covidImpacted === null ? '–' : b.covidImpacted ? t('common.yes') : t('common.no')}
              </Field>
              <Field label={t('field.annualTurnover')}>{formatRupiah(b.annualTurnover)}</Field>
              <Field label={t('business.capital')}>{formatRupiah(b.capital)}</Field>
              <Field label={t('field.workers')}>{formatNumber(b.workers)}</Field>
              <Field label={t('business.nib')}>{b.nib ?? '–'}</Field>
              {b.ref && <Field label={t('business.ref')}>{b.ref}</Field>}
            </SimpleGrid>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md" padding="md" h="100%">
            <Title order={3} size="h5" mb="sm">
              {t('business.owner')}
            </Title>
            <Stack gap="sm">
              <Field label={t('business.ownerName')}>{owner.name}</Field>
              <Field label={t('business.nik')} testId="owner-nik">
                <Group gap={6} wrap="nowrap">
                  {owner.nikMasked && !personal && <IconLock size={14} aria-label={t('business.masked')} />}
                  <span style={{ fontFamily: 'ui-monospace, monospace' }}>{nik}</span>
                </Group>
              </Field>
              <SimpleGrid cols={2} spacing="sm">
                <Field label={t('business.sex')}>{owner.sex ? t(`sex.${owner.sex}`) : '–'}</Field>
                <Field label={t('business.birthDate')}>
                  {personal ? formatDate(personal.birthDate) : (owner.birthDate ?? '–')}
                </Field>
              </SimpleGrid>
              <Field label={t('business.phone')}>{personal?.phone ?? owner.phone ?? '–'}</Field>
              <Field label={t('business.address')}>{owner.address ?? '–'}</Field>
              {showReveal && (
                <div>
                  <Button
                    variant="light"
                    color="orange"
                    size="sm"
                    leftSection={<IconEye size={16} />}
                    onClick={() => reveal.mutate(id)}
                    loading={reveal.isPending}
                    data-testid="reveal-nik"
                  >
                    {t('business.reveal')}
                  </Button>
                  <Text size="xs" c="dimmed" mt={4}>
                    {t('business.revealNote')}
                  </Text>
                </div>
              )}
              {personal && (
                <Alert color="orange" variant="light" p="xs">
                  <Text size="xs">{t('business.revealed')}</Text>
                </Alert>
              )}
              <ErrorAlert error={reveal.variables === id ? reveal.error : null} />
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>

      <Stack gap="lg" mt="lg">
        <section>
          <Title order={3} size="h4" mb="sm">
            {t('business.applications')}
          </Title>
          <DataTable rows={b.applications} columns={appColumns} rowKey={(a) => a.id} minWidth={520} />
        </section>
        <section>
          <Title order={3} size="h4" mb="sm">
            {t('business.aid')}
          </Title>
          <DataTable rows={b.aid} columns={aidColumns} rowKey={(a) => a.id} minWidth={520} />
        </section>
        <section>
          <Title order={3} size="h4" mb="sm">
            {t('business.products')}
          </Title>
          <DataTable rows={b.products} columns={productColumns} rowKey={(p) => p.id} minWidth={480} />
        </section>
        <section>
          <Title order={3} size="h4" mb="sm">
            {t('notifications:section')}
          </Title>
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <NotificationList businessId={b.id} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Card withBorder radius="md" padding="md">
                <Title order={4} size="h6" mb="xs">
                  {t('notifications:consent.title')}
                </Title>
                <ConsentPanel businessId={b.id} canEdit={can('writeBusinesses')} />
              </Card>
            </Grid.Col>
          </Grid>
        </section>
      </Stack>
    </>
  );
}
