import { Alert, Button, Checkbox, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconDownload, IconShieldLock } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { api, apiBase, type Page, query } from '../../lib/api';
import { useAuth } from '../auth/auth';
import { activeFilters, FilterSummary, type RegistryExportFilters } from './filters';

type Format = 'csv' | 'xlsx';

// The export streams straight to the browser's download (a million rows never pass through
// the page's memory). The filter is checked first with a one-row list request, so a bad
// filter or an expired session shows here instead of as a downloaded error file.
export function RegistryExportButton({ filters }: { filters: RegistryExportFilters }) {
  const { t } = useTranslation('registry');
  const { can } = useAuth();
  const [opened, setOpened] = useState(false);
  const [format, setFormat] = useState<Format>('xlsx');
  const [personalData, setPersonalData] = useState(false);
  const [empty, setEmpty] = useState(false);
  const [started, setStarted] = useState(false);
  const mayReveal = can('revealPersonalData');
  const active = Object.fromEntries(activeFilters(filters));

  const check = useMutation({
    mutationFn: () => api<Page<unknown>>(`/businesses${query({ ...active, limit: 1 })}`),
  });

  const open = () => {
    check.reset();
    setEmpty(false);
    setStarted(false);
    setPersonalData(false);
    setOpened(true);
  };

  const download = async () => {
    setEmpty(false);
    const page = await check.mutateAsync().catch(() => null);
    if (!page) return;
    if (page.items.length === 0) {
      setEmpty(true);
      return;
    }
    const link = document.createElement('a');
    link.href = `${apiBase}/businesses/export${query({
      ...active,
      format,
      personalData: mayReveal && personalData ? 'true' : undefined,
    })}`;
    link.download = '';
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
    setStarted(true);
  };

  return (
    <>
      <Button
        variant="default"
        leftSection={<IconDownload size={16} />}
        onClick={open}
        data-testid="registry-export"
      >
        {t('export.button')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('export.title')} centered>
        <Stack gap="md">
          <div>
            <Text size="sm" fw={600} mb={4}>
              {t('export.filters')}
            </Text>
            <FilterSummary filter={active} empty={t('export.allRows')} />
          </div>
          <div>
            <Text size="sm" fw={600} mb={4}>
              {t('export.format')}
            </Text>
            <SegmentedControl
              value={format}
              onChange={(v) => setFormat(v === 'csv' ? 'csv' : 'xlsx')}
              data={[
                { value: 'xlsx', label: t('export.xlsx') },
                { value: 'csv', label: t('export.csv') },
              ]}
              fullWidth
            />
          </div>
          {mayReveal ? (
            <Checkbox
              checked={personalData}
              onChange={(e) => setPersonalData(e.currentTarget.checked)}
              label={t('export.personalData')}
              description={t('export.personalDataHint')}
              data-testid="registry-export-personal-data"
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t('export.masked')}
            </Text>
          )}
          <Alert variant="light" color={personalData ? 'orange' : 'gray'} icon={<IconShieldLock size={18} />}>
            <Text size="sm">{t('export.logged')}</Text>
          </Alert>
          <ErrorAlert error={check.error} />
          {empty && (
            <Alert variant="light" color="yellow">
              {t('export.empty')}
            </Alert>
          )}
          {started && (
            <Alert variant="light" color="teal" role="status">
              {t('export.started')}
            </Alert>
          )}
          <Button
            leftSection={<IconDownload size={16} />}
            onClick={() => void download()}
            loading={check.isPending}
          >
            {t('export.download')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
