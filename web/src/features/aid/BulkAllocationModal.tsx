import { Alert, Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber } from '../../lib/format';
import { useBulkAllocate, usePackagesQuery, useProgramChoicesQuery, useStockChoicesQuery } from './queries';

// One stock line (or one package) to every graduate of a program, with the result per business.
export function BulkAllocationModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('aid');
  const phone = useMediaQuery('(max-width: 48em)');
  const programs = useProgramChoicesQuery();
  const stock = useStockChoicesQuery();
  const packages = usePackagesQuery();
  const [programId, setProgramId] = useState<string | null>(null);
  const [stockId, setStockId] = useState<string | null>(null);
  const [packageId, setPackageId] = useState<string | null>(null);
  const run = useBulkAllocate();
  const result = run.data;
  return (
    <Modal opened onClose={onClose} title={t('bulkTitle')} fullScreen={phone} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('bulkHelp')}
        </Text>
        <ErrorAlert error={run.error ?? programs.error ?? stock.error} />
        <Select
          label={t('program')}
          searchable
          data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={programId}
          onChange={setProgramId}
          data-testid="bulk-program"
        />
        <Select
          label={t('stockLine')}
          searchable
          clearable
          data={(stock.data?.items ?? []).map((s) => ({
            value: s.id,
            label: `${s.item} (${s.budgetYear}) · ${formatNumber(s.remaining)} ${s.unit}`,
          }))}
          value={stockId}
          onChange={(v) => {
            setStockId(v);
            if (v) setPackageId(null);
          }}
        />
        {(packages.data?.items.length ?? 0) > 0 && (
          <Select
            label={t('orPackage')}
            clearable
            data={(packages.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.name} (${p.budgetYear})`,
            }))}
            value={packageId}
            onChange={(v) => {
              setPackageId(v);
              if (v) setStockId(null);
            }}
          />
        )}
        {result && (
          <Alert
            color="teal"
            icon={<IconCheck size={18} />}
            title={t('bulkResult', { count: result.allocated })}
          >
            {result.skipped.length > 0 && (
              <>
                <Text size="sm" fw={600}>
                  {t('skippedTitle', { count: result.skipped.length })}
                </Text>
                <List size="sm">
                  {Object.entries(
                    result.skipped.reduce<Record<string, number>>((acc, s) => {
                      acc[s.reason] = (acc[s.reason] ?? 0) + 1;
                      return acc;
                    }, {}),
                  ).map(([reason, n]) => (
                    <List.Item key={reason}>
                      {t(`skip_${reason}`)}: {formatNumber(n)}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Alert>
        )}
        <Group>
          <Button
            disabled={!programId || !(stockId || packageId)}
            loading={run.isPending}
            onClick={() =>
              programId &&
              run.mutate({ programId, ...(packageId ? { packageId } : stockId ? { stockId } : {}) })
            }
          >
            {t('bulkRun')}
          </Button>
          <Button variant="subtle" onClick={onClose}>
            {t('web:common.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
