import { Button, Card, Grid, Group, NumberInput, Select, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { createAidStockBody, fundingSources } from '../../../../src/modules/aid/aid.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSchemaForm } from '../../lib/form';
import { useAddStock } from './queries';

export function StockForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const { t: ta } = useTranslation('aid');
  const add = useAddStock();
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createAidStockBody,
    initialValues: {
      budgetYear: new Date().getFullYear() as number | string,
      item: '',
      spec: '',
      unit: 'unit',
      unitValue: '' as number | string,
      quantity: '' as number | string,
      source: 'APBD' as string | null,
      dpaCode: '',
    },
    toBody: (v) => ({
      budgetYear: Number(v.budgetYear),
      item: v.item.trim(),
      spec: v.spec.trim() || null,
      unit: v.unit.trim(),
      unitValue: typeof v.unitValue === 'number' ? v.unitValue : Number.NaN,
      quantity: typeof v.quantity === 'number' ? v.quantity : Number.NaN,
      source: (v.source as (typeof fundingSources)[number] | null) || null,
      dpaCode: v.dpaCode.trim() || null,
    }),
  });
  const submit = onSubmit((body) =>
    add.mutate(body, { onSuccess: () => onDone(true), onError: showServerErrors }),
  );

  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit}>
      <Title order={3} size="h5" mb="sm">
        {t('aid.addStock')}
      </Title>
      <ErrorAlert error={add.error} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <TextInput label={t('aid.item')} required {...form.getInputProps('item')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <NumberInput
            label={t('aid.budgetYear')}
            required
            min={2000}
            max={2100}
            allowDecimal={false}
            {...form.getInputProps('budgetYear')}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <TextInput label={t('aid.spec')} {...form.getInputProps('spec')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 4 }}>
          <NumberInput
            label={t('aid.quantity')}
            required
            min={1}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('quantity')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput label={t('aid.unit')} required {...form.getInputProps('unit')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <NumberInput
            label={t('aid.unitValue')}
            prefix="Rp "
            thousandSeparator={i18n.language === 'en' ? ',' : '.'}
            decimalSeparator={i18n.language === 'en' ? '.' : ','}
            allowDecimal={false}
            allowNegative={false}
            required
            {...form.getInputProps('unitValue')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Select
            label={ta('source')}
            data={[...fundingSources]}
            clearable
            {...form.getInputProps('source')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <TextInput label={ta('dpaCode')} {...form.getInputProps('dpaCode')} />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={add.isPending}>
          {t('common.save')}
        </Button>
        <Button variant="subtle" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Card>
  );
}
