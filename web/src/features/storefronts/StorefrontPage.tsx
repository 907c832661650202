import { Anchor, Button, Card, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconExternalLink } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { updateStorefrontBody } from '../../../../src/modules/storefronts/storefronts.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { type Storefront, useStorefrontQuery, useUpdateStorefront } from './queries';

type Values = {
  slug: string;
  tokopediaUrl: string;
  shopeeUrl: string;
  tiktokShopUrl: string;
  instagramUrl: string;
  showTrainings: boolean;
};

const valuesOf = (s: Storefront): Values => ({
  slug: s.slug,
  tokopediaUrl: s.tokopediaUrl ?? '',
  shopeeUrl: s.shopeeUrl ?? '',
  tiktokShopUrl: s.tiktokShopUrl ?? '',
  instagramUrl: s.instagramUrl ?? '',
  showTrainings: s.showTrainings,
});

// The business's public storefront: its address, the marketplace and social links shown on it,
// the owner's consent to show completed trainings, and the WhatsApp order clicks it received.
export function StorefrontPage() {
  const { t } = useTranslation('market');
  const { id = '' } = useParams();
  const storefront = useStorefrontQuery(id);
  const name = storefront.data?.businessName ?? '…';
  return (
    <>
      <PageHeader
        title={t('storefrontSettings.title', { name })}
        subtitle={t('storefrontSettings.subtitle')}
        crumbs={[
          { label: t('sales.registry'), to: '/registry' },
          { label: name, to: `/registry/${id}` },
          { label: t('storefrontSettings.crumb') },
        ]}
        actions={
          storefront.data && (
            <Button
              component="a"
              href={storefront.data.url}
              target="_blank"
              variant="light"
              rightSection={<IconExternalLink size={14} />}
            >
              {t('storefrontSettings.open')}
            </Button>
          )
        }
      />
      <ErrorAlert error={storefront.error} onRetry={() => void storefront.refetch()} />
      {storefront.isPending && <Loading />}
      {storefront.data && (
        <Stack gap="lg">
          <StorefrontForm businessId={id} storefront={storefront.data} />
          <OrderClicks storefront={storefront.data} />
        </Stack>
      )}
    </>
  );
}

function StorefrontForm({ businessId, storefront }: { businessId: string; storefront: Storefront }) {
  const { t } = useTranslation('market');
  const update = useUpdateStorefront(businessId);
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: updateStorefrontBody,
    initialValues: valuesOf(storefront),
    toBody: (v: Values) => ({
      slug: v.slug.trim(),
      tokopediaUrl: v.tokopediaUrl.trim() || null,
      shopeeUrl: v.shopeeUrl.trim() || null,
      tiktokShopUrl: v.tiktokShopUrl.trim() || null,
      instagramUrl: v.instagramUrl.trim() || null,
      showTrainings: v.showTrainings,
    }),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the stored storefront changes
  useEffect(() => {
    form.setValues(valuesOf(storefront));
    form.resetDirty(valuesOf(storefront));
  }, [storefront]);
  const submit = onSubmit((body) =>
    update.mutate(body, {
      onSuccess: () => notifications.show({ color: 'green', message: t('storefrontSettings.saved') }),
      onError: showServerErrors,
    }),
  );
  const base = storefront.url.slice(0, storefront.url.length - storefront.slug.length);
  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit} noValidate maw={640}>
      <Stack gap="sm">
        <TextInput
          label={t('storefrontSettings.slug')}
          description={t('storefrontSettings.slugHelp')}
          leftSection={
            <Text size="xs" c="dimmed" pl={4}>
              {base.replace(/^https?:\/\//, '')}
            </Text>
          }
          leftSectionWidth={Math.min(220, base.length * 6.5)}
          {...form.getInputProps('slug')}
        />
        <TextInput label="Tokopedia" placeholder="tokopedia.com/…" {...form.getInputProps('tokopediaUrl')} />
        <TextInput label="Shopee" placeholder="shopee.co.id/…" {...form.getInputProps('shopeeUrl')} />
        <TextInput label="TikTok Shop" placeholder="tiktok.com/@…" {...form.getInputProps('tiktokShopUrl')} />
        <TextInput label="Instagram" placeholder="instagram.com/…" {...form.getInputProps('instagramUrl')} />
        <Checkbox
          label={t('storefrontSettings.consent')}
          description={
            storefront.consentRecordedAt
              ? t('storefrontSettings.consentRecorded', { at: formatDateTime(storefront.consentRecordedAt) })
              : t('storefrontSettings.consentHelp')
          }
          {...form.getInputProps('showTrainings', { type: 'checkbox' })}
        />
        <ErrorAlert error={update.error} />
        <Group>
          <Button type="submit" loading={update.isPending}>
            {t('storefrontSettings.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function OrderClicks({ storefront }: { storefront: Storefront }) {
  const { t } = useTranslation('market');
  const byProduct = new Map<string, { name: string; clicks: number; last: string }>();
  for (const c of storefront.orderClicks) {
    const row = byProduct.get(c.productId) ?? { name: c.productName, clicks: 0, last: c.day };
    row.clicks += c.clicks;
    if (c.day > row.last) row.last = c.day;
    byProduct.set(c.productId, row);
  }
  const rows = [...byProduct.entries()].sort((a, b) => b[1].clicks - a[1].clicks);
  return (
    <Stack gap="xs" maw={640}>
      <Title order={3} size="h4">
        {t('storefrontSettings.clicks')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('storefrontSettings.clicksHelp')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm">{t('storefrontSettings.noClicks')}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('storefrontSettings.product')}</Table.Th>
              <Table.Th ta="right">{t('storefrontSettings.clickCount')}</Table.Th>
              <Table.Th>{t('storefrontSettings.lastClick')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(([productId, r]) => (
              <Table.Tr key={productId}>
                <Table.Td>
                  <Anchor href={`/katalog/${productId}`} target="_blank">
                    {r.name}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(r.clicks)}</Table.Td>
                <Table.Td>{formatDate(r.last, 'medium')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
