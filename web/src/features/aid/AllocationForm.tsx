import { Button, Card, Grid, Group, NumberInput, Select, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useFieldError } from '../../components/ErrorAlert';
import { ApiError, api, query } from '../../lib/api';
import { formatNumber } from '../../lib/format';
import { useApi } from '../../lib/hooks';
import type {
  AidAllocation,
  AidStockItem,
  Application,
  BusinessItem,
  CreateAllocationBody,
  Program,
} from '../../lib/types';

type Page<T> = { items: T[]; nextCursor: string | null };

export function AllocationForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const [stockId, setStockId] = useState<string | null>(null);
  const [programId, setProgramId] = useState<string | null>(null);
  const [businessId, setBusinessId] = useState<string | null>(null);
  const [businessSearch, setBusinessSearch] = useState('');
  const [debounced] = useDebouncedValue(businessSearch.trim(), 350);
  const [quantity, setQuantity] = useState<number | string>(1);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldError(error);

  const stock = useApi<Page<AidStockItem>>('/aid/stock?limit=200');
  const programs = useApi<Page<Program>>('/programs?limit=100');
  // Aid goes to graduates: with a program chosen, only its completed participants are offered.
  const graduates = useApi<Page<Application>>(
    programId ? `/programs/${programId}/applications?status=completed&limit=200` : null,
  );
  const businesses = useApi<Page<BusinessItem>>(
    programId ? null : `/businesses${query({ q: debounced, limit: 20 })}`,
  );

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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!stockId || !businessId) return;
    setBusy(true);
    setError(null);
    const body: CreateAllocationBody = {
      stockId,
      businessId,
      programId,
      quantity: typeof quantity === 'number' ? quantity : 1,
    };
    try {
      await api<AidAllocation>('/aid/allocations', { method: 'POST', body });
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
        {t('aid.allocate')}
      </Title>
      <ErrorAlert error={error ?? stock.error ?? programs.error} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('aid.stockItem')}
            required
            data={stockOptions}
            value={stockId}
            onChange={setStockId}
            searchable
            error={fieldError('stockId')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('aid.program')}
            description={t('aid.programHelp')}
            data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={programId}
            onChange={(v) => {
              setProgramId(v);
              setBusinessId(null);
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
            value={businessId}
            onChange={setBusinessId}
            searchable
            searchValue={programId ? undefined : businessSearch}
            onSearchChange={programId ? undefined : setBusinessSearch}
            nothingFoundMessage={t('registry.empty')}
            error={fieldError('businessId')}
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
            value={quantity}
            onChange={setQuantity}
            error={fieldError('quantity')}
          />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={busy} disabled={!stockId || !businessId}>
          {t('aid.allocate')}
        </Button>
        <Button variant="subtle" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Card>
  );
}
