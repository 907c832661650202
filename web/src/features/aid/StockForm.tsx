import { Button, Card, Grid, Group, NumberInput, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useFieldError } from '../../components/ErrorAlert';
import { ApiError, api } from '../../lib/api';
import type { AidStockItem, CreateAidStockBody } from '../../lib/types';

export function StockForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const [budgetYear, setBudgetYear] = useState<number | string>(new Date().getFullYear());
  const [item, setItem] = useState('');
  const [spec, setSpec] = useState('');
  const [unit, setUnit] = useState('unit');
  const [unitValue, setUnitValue] = useState<number | string>('');
  const [quantity, setQuantity] = useState<number | string>('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldError(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: CreateAidStockBody = {
      budgetYear: Number(budgetYear),
      item: item.trim(),
      spec: spec.trim() || null,
      unit: unit.trim(),
      unitValue: typeof unitValue === 'number' ? unitValue : 0,
      quantity: typeof quantity === 'number' ? quantity : 0,
    };
    try {
      await api<AidStockItem>('/aid/stock', { method: 'POST', body });
      onDone(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit}>
      <Title order={3} size="h5" mb="sm">
        {t('aid.addStock')}
      </Title>
      <ErrorAlert error={error} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <TextInput
            label={t('aid.item')}
            required
            value={item}
            onChange={(e) => setItem(e.currentTarget.value)}
            error={fieldError('item')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <NumberInput
            label={t('aid.budgetYear')}
            required
            min={2000}
            max={2100}
            allowDecimal={false}
            value={budgetYear}
            onChange={setBudgetYear}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <TextInput label={t('aid.spec')} value={spec} onChange={(e) => setSpec(e.currentTarget.value)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 4 }}>
          <NumberInput
            label={t('aid.quantity')}
            required
            min={1}
            allowDecimal={false}
            allowNegative={false}
            value={quantity}
            onChange={setQuantity}
            error={fieldError('quantity')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput
            label={t('aid.unit')}
            required
            value={unit}
            onChange={(e) => setUnit(e.currentTarget.value)}
          />
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
            value={unitValue}
            onChange={setUnitValue}
          />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
        <Button variant="subtle" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Card>
  );
}
