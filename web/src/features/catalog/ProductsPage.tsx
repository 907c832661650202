import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Image,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconArrowBackUp,
  IconCheck,
  IconDownload,
  IconExternalLink,
  IconPencil,
  IconPhoto,
  IconPlus,
  IconSend,
} from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type ProductStatus, productStatuses } from '../../../../src/domain/enums';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { apiBase } from '../../lib/api';
import { formatRupiah } from '../../lib/format';
import { currentLanguage } from '../../lib/i18n';
import type { ProductItem } from '../../lib/types';
import { useAuth, useMe } from '../auth/auth';
import { useBusinessQuery, useBusinessSearchQuery } from '../businesses/queries';
import { ProductForm } from './ProductForm';
import { useProductsQuery, usePublishProduct, useReviewProduct } from './queries';

const statusColour: Record<ProductStatus, string> = {
  draft: 'gray',
  submitted: 'yellow',
  approved: 'teal',
  returned: 'red',
};

export function ProductsPage() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation('curation');
  const me = useMe();
  const curator = useAuth().can('curateProducts');
  const mayExport = useAuth().can('readAllProducts');
  const [status, setStatus] = useState<ProductStatus | null>(null);
  const [returning, setReturning] = useState<{ id: string; note: string } | null>(null);
  const review = useReviewProduct();
  const reviewStep = (id: string, step: 'submit' | 'approve' | 'return', note?: string) =>
    review.mutate(
      { id, step, ...(note ? { note } : {}) },
      {
        onSuccess: () => {
          setReturning(null);
          notifications.show({
            color: 'teal',
            message: tc(step === 'submit' ? 'submitted' : step === 'approve' ? 'approved' : 'returned'),
          });
        },
        onError: (e) => notifications.show({ color: 'red', message: errorText(t, e) }),
      },
    );
  const [params, setParams] = useSearchParams();
  const businessId = params.get('business');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 350);
  const [editing, setEditing] = useState<ProductItem | 'new' | null>(null);
  const owner = me.scope.ownBusinesses;

  // An owner picks among its own businesses (the API scopes the list); an officer searches.
  const businesses = useBusinessSearchQuery(owner ? '' : debounced, 20);
  const picked = useBusinessQuery(businessId);
  useEffect(() => {
    const first = businesses.data?.items[0];
    if (owner && !businessId && first) setParams({ business: first.id }, { replace: true });
  }, [owner, businessId, businesses.data, setParams]);

  const options = useMemo(() => {
    const list = [...(businesses.data?.items ?? [])];
    if (picked.data && !list.some((b) => b.id === picked.data?.id)) list.unshift(picked.data);
    return list.map((b) => ({ value: b.id, label: owner ? b.name : `${b.name} · ${b.owner.name}` }));
  }, [businesses.data, picked.data, owner]);

  // With no business chosen an officer sees every product; an owner waits for its business.
  const products = useProductsQuery(businessId, status, Boolean(businessId) || !owner);
  const publish = usePublishProduct();

  const togglePublished = (p: ProductItem, published: boolean) =>
    publish.mutate(
      { id: p.id, published },
      { onError: (e) => notifications.show({ color: 'red', message: errorText(t, e) }) },
    );

  const business = picked.data ?? businesses.data?.items.find((b) => b.id === businessId);

  return (
    <>
      <PageHeader
        title={t('products.title')}
        subtitle={t('products.subtitle')}
        actions={
          <Group gap="xs">
            {mayExport && (
              <Button
                component="a"
                href={`${apiBase}/products/export`}
                download
                variant="default"
                leftSection={<IconDownload size={16} />}
                title={t('products.exportMarketplaceHelp')}
                // On a phone the long label wraps rather than running past the screen.
                h="auto"
                py={6}
                maw="100%"
                styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
                data-testid="products-export"
              >
                {t('products.exportMarketplace')}
              </Button>
            )}
            <Button
              component="a"
              href={`/katalog?lang=${currentLanguage()}`}
              target="_blank"
              variant="light"
              rightSection={<IconExternalLink size={14} />}
            >
              {t('products.catalogue')}
            </Button>
          </Group>
        }
      />
      <Stack gap="md">
        {(!owner || (businesses.data?.items.length ?? 0) > 1) && (
          <Select
            label={t('products.business')}
            placeholder={t('products.pickBusiness')}
            data={options}
            value={businessId}
            onChange={(v) => setParams(v ? { business: v } : {}, { replace: true })}
            searchable={!owner}
            searchValue={owner ? undefined : search}
            onSearchChange={owner ? undefined : setSearch}
            nothingFoundMessage={t('registry.empty')}
            maw={520}
            filter={({ options: o }) => o}
          />
        )}
        <Select
          label={curator ? tc('queue') : tc('statusFilter')}
          placeholder={tc('allStatuses')}
          data={productStatuses.map((s) => ({ value: s, label: tc(`status.${s}`) }))}
          value={status}
          onChange={(v) => setStatus(v as ProductStatus | null)}
          clearable
          maw={320}
        />
        <ErrorAlert error={businesses.error} />
        {businessId && business && (
          <Group justify="space-between">
            <Text fw={600}>{business.name}</Text>
            {!editing && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                {t('products.add')}
              </Button>
            )}
          </Group>
        )}
        {editing && (editing !== 'new' || businessId) && (
          <ProductForm
            businessId={editing === 'new' ? (businessId ?? '') : editing.businessId}
            product={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
        <ErrorAlert error={products.error} onRetry={products.reload} />
        {(businessId || !owner) && !products.loading && products.items.length === 0 && !products.error && (
          <Text c="dimmed" size="sm">
            {t('products.none')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
          {products.items.map((p) => (
            <Card key={p.id} withBorder radius="md" padding="sm">
              <Card.Section>
                {p.photoUrl ? (
                  <Image src={p.photoUrl} alt={p.name} h={180} fit="cover" />
                ) : (
                  <Center h={180} bg="gray.1">
                    <IconPhoto size={40} color="var(--mantine-color-gray-5)" aria-hidden />
                  </Center>
                )}
              </Card.Section>
              <Group justify="space-between" mt="sm" wrap="nowrap" align="flex-start">
                <Text fw={600} className="break-anywhere">
                  {p.name}
                </Text>
                <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
                  <Badge color={statusColour[p.status]} variant="light">
                    {tc(`status.${p.status}`)}
                  </Badge>
                  {!p.published && (
                    <Badge color="gray" variant="outline">
                      {t('products.isDraft')}
                    </Badge>
                  )}
                </Stack>
              </Group>
              {p.status === 'returned' && p.reviewNote && (
                <Text size="sm" c="red.8" mt={4}>
                  {tc('noteFromOffice', { note: p.reviewNote })}
                </Text>
              )}
              {!businessId && p.businessName && (
                <Text size="xs" c="dimmed" className="break-anywhere">
                  {p.businessName}
                </Text>
              )}
              <Text fw={700} c="pulih.8">
                {formatRupiah(p.price)}
                {p.unit ? (
                  <Text span size="sm" c="dimmed" fw={400}>
                    {' '}
                    / {p.unit}
                  </Text>
                ) : null}
              </Text>
              {p.description && (
                <Text size="sm" c="dimmed" lineClamp={3} mt={4}>
                  {p.description}
                </Text>
              )}
              <Group justify="space-between" mt="sm">
                <Switch
                  label={t('products.published')}
                  checked={p.published}
                  onChange={(e) => togglePublished(p, e.currentTarget.checked)}
                />
                <Group gap="xs">
                  {p.published && p.status === 'approved' && (
                    <Anchor
                      href={p.pageUrl}
                      target="_blank"
                      size="sm"
                      aria-label={t('products.viewPublic', { name: p.name })}
                    >
                      <IconExternalLink size={16} />
                    </Anchor>
                  )}
                  <Button
                    size="compact-sm"
                    variant="light"
                    leftSection={<IconPencil size={14} />}
                    onClick={() => setEditing(p)}
                  >
                    {t('common.edit')}
                  </Button>
                </Group>
              </Group>
              <Group gap="xs" mt="xs">
                {(p.status === 'draft' || p.status === 'returned') && (
                  <Button
                    size="compact-sm"
                    leftSection={<IconSend size={14} />}
                    loading={review.isPending && review.variables?.id === p.id}
                    onClick={() => reviewStep(p.id, 'submit')}
                  >
                    {tc('submit')}
                  </Button>
                )}
                {curator && p.status === 'submitted' && (
                  <>
                    <Button
                      size="compact-sm"
                      color="teal"
                      leftSection={<IconCheck size={14} />}
                      loading={review.isPending && review.variables?.id === p.id}
                      onClick={() => reviewStep(p.id, 'approve')}
                    >
                      {tc('approve')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="light"
                      color="red"
                      leftSection={<IconArrowBackUp size={14} />}
                      onClick={() => setReturning({ id: p.id, note: '' })}
                    >
                      {tc('return')}
                    </Button>
                  </>
                )}
              </Group>
              {returning?.id === p.id && (
                <Stack gap="xs" mt="xs">
                  <Textarea
                    label={tc('returnNote')}
                    placeholder={tc('returnNoteHint')}
                    autosize
                    minRows={2}
                    value={returning.note}
                    onChange={(e) => setReturning({ id: p.id, note: e.currentTarget.value })}
                  />
                  <Group gap="xs">
                    <Button
                      size="compact-sm"
                      color="red"
                      disabled={returning.note.trim().length < 3}
                      loading={review.isPending}
                      onClick={() => reviewStep(p.id, 'return', returning.note.trim())}
                    >
                      {tc('sendBack')}
                    </Button>
                    <Button size="compact-sm" variant="subtle" onClick={() => setReturning(null)}>
                      {t('common.cancel')}
                    </Button>
                  </Group>
                </Stack>
              )}
            </Card>
          ))}
        </SimpleGrid>
        <PagedFooter list={products} />
      </Stack>
    </>
  );
}
