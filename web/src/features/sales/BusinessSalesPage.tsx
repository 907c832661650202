import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAuth } from '../auth/auth';
import { useBusinessQuery } from '../businesses/queries';
import { BusinessSales } from './BusinessSales';
import { SaleForm } from './SaleForm';

// One business's sales, and the form to record one (the owner, or an office within its scope).
export function BusinessSalesPage() {
  const { t } = useTranslation('market');
  const { id = '' } = useParams();
  const { can } = useAuth();
  const business = useBusinessQuery(id);
  const name = business.data?.name ?? '…';
  return (
    <>
      <PageHeader
        title={t('sales.ofBusiness', { name })}
        crumbs={[
          { label: t('sales.registry'), to: '/registry' },
          { label: name, to: `/registry/${id}` },
          { label: t('sales.title') },
        ]}
      />
      <ErrorAlert error={business.error} />
      <Stack gap="md">
        {can('recordSales') && <SaleForm businessId={id} />}
        <Title order={3} size="h4">
          {t('sales.recent')}
        </Title>
        <BusinessSales businessId={id} />
      </Stack>
    </>
  );
}
