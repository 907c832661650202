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
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconPencil, IconPhoto, IconPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatRupiah } from '../../lib/format';
import { currentLanguage } from '../../lib/i18n';
import type { ProductItem } from '../../lib/types';
import { useMe } from '../auth/auth';
import { useBusinessQuery, useBusinessSearchQuery } from '../businesses/queries';
import { ProductForm } from './ProductForm';
import { useProductsQuery, usePublishProduct } from './queries';

export function ProductsPage() {
  const { t } = useTranslation();
  const me = useMe();
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
  const products = useProductsQuery(businessId, Boolean(businessId) || !owner);
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
          <Button
            component="a"
            href={`/katalog?lang=${currentLanguage()}`}
            target="_blank"
            variant="light"
            rightSection={<IconExternalLink size={14} />}
          >
            {t('products.catalogue')}
          </Button>
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
                <Badge color={p.published ? 'teal' : 'gray'} variant="light" style={{ flexShrink: 0 }}>
                  {p.published ? t('products.isPublished') : t('products.isDraft')}
                </Badge>
              </Group>
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
                  {p.published && (
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
            </Card>
          ))}
        </SimpleGrid>
        <PagedFooter list={products} />
      </Stack>
    </>
  );
}
