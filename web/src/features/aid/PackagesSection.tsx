import { Button, Card, Group, MultiSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPackage } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatRupiah } from '../../lib/format';
import { useCreatePackage, usePackagesQuery, useStockChoicesQuery } from './queries';

// Named sets of stock lines given together to one recipient ("paket alat anyam").
export function PackagesSection({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation('aid');
  const packages = usePackagesQuery();
  const stock = useStockChoicesQuery();
  const create = useCreatePackage();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [year, setYear] = useState<number | string>(new Date().getFullYear());
  const [lines, setLines] = useState<string[]>([]);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const stockItems = stock.data?.items ?? [];
  const label = (id: string) => stockItems.find((s) => s.id === id)?.item ?? id;
  const save = () =>
    create.mutate(
      {
        name: name.trim(),
        budgetYear: Number(year),
        items: lines.map((stockId) => ({ stockId, quantity: quantities[stockId] ?? 1 })),
      },
      {
        onSuccess: () => {
          setAdding(false);
          setName('');
          setLines([]);
        },
      },
    );
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        {t('packagesTitle')}
      </Title>
      <ErrorAlert error={packages.error} />
      {(packages.data?.items ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noPackages')}
        </Text>
      ) : (
        (packages.data?.items ?? []).map((p) => (
          <Text size="sm" key={p.id} className="break-anywhere">
            <b>{p.name}</b> ({p.budgetYear}) · {p.items.map((i) => `${i.item} ${i.quantity}`).join(', ')} ·{' '}
            {formatRupiah(p.value)}
          </Text>
        ))
      )}
      {canWrite &&
        (adding ? (
          <Card withBorder radius="md" padding="md">
            <Stack gap="xs">
              <ErrorAlert error={create.error} />
              <TextInput
                label={t('packageName')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              <NumberInput label={t('budgetYear')} value={year} onChange={setYear} min={2000} max={2100} />
              <MultiSelect
                label={t('packageItems')}
                searchable
                data={stockItems
                  .filter((s) => s.budgetYear === Number(year))
                  .map((s) => ({ value: s.id, label: s.item }))}
                value={lines}
                onChange={setLines}
              />
              {lines.map((id) => (
                <NumberInput
                  key={id}
                  label={label(id)}
                  min={1}
                  max={1000}
                  allowDecimal={false}
                  value={quantities[id] ?? 1}
                  onChange={(v) => setQuantities((q) => ({ ...q, [id]: Number(v) || 1 }))}
                />
              ))}
              <Group>
                <Button
                  onClick={save}
                  loading={create.isPending}
                  disabled={!name.trim() || lines.length === 0}
                >
                  {t('save')}
                </Button>
                <Button variant="subtle" onClick={() => setAdding(false)}>
                  {t('web:common.cancel')}
                </Button>
              </Group>
            </Stack>
          </Card>
        ) : (
          <Group>
            <Button variant="light" leftSection={<IconPackage size={16} />} onClick={() => setAdding(true)}>
              {t('addPackage')}
            </Button>
          </Group>
        ))}
    </Stack>
  );
}
