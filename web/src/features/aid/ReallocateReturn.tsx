import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { AidAllocation } from '../../lib/types';
import { useGraduatesQuery } from '../programs/queries';
import { useAllocationsOfStockQuery, useReallocate } from './queries';

// "Alokasikan ulang": a returned item goes to another graduate of the program it was given
// under, chosen among those not yet holding a line of the same stock; the new document number
// (<BAST>/REALOKASI/<n>) is shown once it is made.
export function ReallocateReturn({
  returnId,
  allocation,
  done,
}: {
  returnId: string;
  allocation: AidAllocation;
  // already reallocated (its number is on the return's line)
  done: boolean;
}) {
  const { t } = useTranslation('aid');
  const [open, setOpen] = useState(false);
  const [businessId, setBusinessId] = useState<string | null>(null);
  const graduates = useGraduatesQuery(open ? allocation.programId : null);
  const holders = useAllocationsOfStockQuery(allocation.stock.id, open);
  const reallocate = useReallocate(returnId);
  const options = useMemo(() => {
    const holding = new Set((holders.data?.items ?? []).map((a) => a.business.id));
    return (graduates.data?.items ?? [])
      .filter((a) => !holding.has(a.businessId))
      .map((a) => ({ value: a.businessId, label: `${a.business.ownerName} · ${a.business.name}` }));
  }, [graduates.data, holders.data]);

  if (reallocate.data)
    return (
      <Alert color="teal" data-testid="aid-reallocated">
        {t('reallocated', { number: reallocate.data.number })}
      </Alert>
    );
  if (done) return null;
  if (!open)
    return (
      <Group>
        <Button size="compact-sm" variant="light" onClick={() => setOpen(true)} data-testid="aid-reallocate">
          {t('reallocate')}
        </Button>
      </Group>
    );
  const loaded = graduates.data && holders.data;
  return (
    <Stack gap="xs">
      <ErrorAlert error={graduates.error ?? holders.error ?? reallocate.error} />
      {loaded && options.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('reallocateNone')}
        </Text>
      ) : (
        <Select
          label={t('reallocateTo')}
          description={t('reallocateToHelp', { item: allocation.stock.item })}
          data={options}
          value={businessId}
          onChange={setBusinessId}
          searchable
          disabled={!loaded}
          data-testid="aid-reallocate-to"
        />
      )}
      <Group>
        <Button
          variant="light"
          disabled={!businessId}
          loading={reallocate.isPending}
          onClick={() => businessId && reallocate.mutate(businessId)}
        >
          {t('reallocateConfirm')}
        </Button>
        <Button variant="subtle" onClick={() => setOpen(false)}>
          {t('web:common.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
