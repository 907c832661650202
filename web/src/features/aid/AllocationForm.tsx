import { Button, Card, Grid, Group, NumberInput, Select, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createAllocationBody } from '../../../../src/modules/aid/aid.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSchemaForm } from '../../lib/form';
import { formatNumber } from '../../lib/format';
import { useBusinessSearchQuery } from '../businesses/queries';
import { useGraduatesQuery, useProgramChoicesQuery } from '../programs/queries';
import { useAllocate, useStockChoicesQuery } from './queries';

export function AllocationForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const [businessSearch, setBusinessSearch] = useState('');
  const [debounced] = useDebouncedValue(businessSearch.trim(), 350);
  const allocate = useAllocate();
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createAllocationBody,
    initialValues: {
      stockId: null as string | null,
      programId: null as string | null,
      businessId: null as string | null,
      quantity: 1 as number | string,
    },
    toBody: (v) => ({
      stockId: v.stockId ?? '',
      businessId: v.businessId ?? '',
      programId: v.programId,
      quantity: typeof v.quantity === 'number' ? v.quantity : Number.NaN,
    }),
  });
  const { stockId, programId, businessId } = form.values;

  const stock = useStockChoicesQuery();
  const programs = useProgramChoicesQuery();
  // Aid goes to graduates: with a program chosen, only its completed participants are offered.
  const graduates = useGraduatesQuery(programId);
  const businesses = useBusinessSearchQuery(debounced, 20, programId === null);

  const stockOptions = useMemo(
    () =>
      (stock.data?.items ?? []).map((s) => ({
        value: s.id,
        label: `${s.item} (${s.budgetYear}) · ${t('aid.remainingShort', { n: formatNumber(s.remaining), unit: s.unit })}`,
        disabled: s.remaining <= 0,
      })),
    [stock.data, t],
  );
  const recipientOptions = useMemo(() => {
    if (programId) {
      return (graduates.data?.items ?? []).map((a) => ({
        value: a.businessId,
        label: `${a.business.ownerName} · ${a.business.name}`,
      }));
    }
    return (businesses.data?.items ?? []).map((b) => ({ value: b.id, label: `${b.owner.name} · ${b.name}` }));
  }, [programId, graduates.data, businesses.data]);

  const submit = onSubmit((body) =>
    allocate.mutate(body, { onSuccess: () => onDone(true), onError: showServerErrors }),
  );

  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit}>
      <Title order={3} size="h5" mb="sm">
        {t('aid.allocate')}
      </Title>
      <ErrorAlert error={allocate.error ?? stock.error ?? programs.error} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('aid.stockItem')}
            required
            data={stockOptions}
            {...form.getInputProps('stockId')}
            searchable
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('aid.program')}
            description={t('aid.programHelp')}
            data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={programId}
            onChange={(v) => {
              form.setFieldValue('programId', v);
              form.setFieldValue('businessId', null);
            }}
            clearable
            searchable
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 9 }}>
          <Select
            label={programId ? t('aid.graduate') : t('aid.recipient')}
            required
            data={recipientOptions}
            {...form.getInputProps('businessId')}
            searchable
            searchValue={programId ? undefined : businessSearch}
            onSearchChange={programId ? undefined : setBusinessSearch}
            nothingFoundMessage={t('registry.empty')}
          />
          {programId && graduates.data && graduates.data.items.length === 0 && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('aid.noGraduates')}
            </Text>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <NumberInput
            label={t('aid.quantity')}
            required
            min={1}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('quantity')}
          />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={allocate.isPending} disabled={!stockId || !businessId}>
          {t('aid.allocate')}
        </Button>
        <Button variant="subtle" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Card>
  );
}
