import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCheck, IconClock, IconSearch, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Application, BusinessItem, Program } from '../../lib/types';
import { useBusinessSearchQuery } from '../businesses/queries';
import { withdrawable } from './ApplicantsTab';
import { ClauseResults } from './EligibilityRule';
import { useApply, useCheckEligibility, useWithdrawApplication } from './queries';

export function ApplyTab({ program }: { program: Program }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 350);
  const [picked, setPicked] = useState<BusinessItem | null>(null);
  const search = useBusinessSearchQuery(debounced, 8, picked === null);
  const checking = useCheckEligibility(program.id);
  const applying = useApply(program.id);
  const withdrawal = useWithdrawApplication();
  // The application as it now stands: as filed, or as withdrawn since.
  const result: Application | null = withdrawal.data ?? applying.data ?? null;
  const check = result ? null : (checking.data ?? null);
  const error = checking.error ?? applying.error ?? withdrawal.error;
  const actions = [checking, applying, withdrawal];

  const pick = (b: BusinessItem | null) => {
    setPicked(b);
    for (const action of actions) action.reset();
  };

  const withdraw = async () => {
    if (result) await withdrawal.mutateAsync(result).catch(() => undefined);
  };

  return (
    <Stack gap="md" maw={760}>
      <Text size="sm" c="dimmed">
        {t('apply.intro')}
      </Text>
      {!picked && (
        <Card withBorder radius="md" padding="md">
          <TextInput
            label={t('apply.searchLabel')}
            placeholder={t('registry.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            rightSection={search.isFetching ? <Loader size={14} /> : null}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            type="search"
            data-testid="apply-search"
          />
          <ErrorAlert error={search.error} />
          <Stack gap={4} mt="sm" role="listbox" aria-label={t('apply.results')}>
            {(search.data?.items ?? []).map((b) => (
              <UnstyledButton
                key={b.id}
                onClick={() => pick(b)}
                role="option"
                aria-selected={false}
                p="sm"
                style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
                data-testid="apply-candidate"
              >
                <Text fw={600} size="sm" className="break-anywhere">
                  {b.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {b.owner.name} · {[b.kelurahanName, b.kecamatanName].filter(Boolean).join(', ')}
                  {b.kbli ? ` · ${t('rule.kbliCode', { code: b.kbli })}` : ''}
                </Text>
              </UnstyledButton>
            ))}
            {search.data && search.data.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('registry.empty')}
              </Text>
            )}
          </Stack>
        </Card>
      )}

      {picked && (
        <Card withBorder radius="md" padding="md">
          <Group justify="space-between" align="flex-start" gap="xs">
            <div style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed">
                {t('apply.picked')}
              </Text>
              <Text fw={600} className="break-anywhere" data-testid="apply-picked">
                {picked.name}
              </Text>
              <Text size="xs" c="dimmed">
                {picked.owner.name} ·{' '}
                {[picked.kelurahanName, picked.kecamatanName].filter(Boolean).join(', ')}
                {picked.kbli ? ` · ${t('rule.kbliCode', { code: picked.kbli })}` : ''}
              </Text>
            </div>
            <Button variant="subtle" size="compact-sm" onClick={() => pick(null)}>
              {t('apply.change')}
            </Button>
          </Group>
          {!result && (
            <Group mt="md" gap="xs">
              <Button
                onClick={() => picked && applying.mutate(picked.id)}
                loading={applying.isPending}
                data-testid="apply-submit"
              >
                {t('apply.submit')}
              </Button>
              <Button
                variant="light"
                onClick={() => picked && checking.mutate(picked.id)}
                loading={checking.isPending}
              >
                {t('apply.check')}
              </Button>
            </Group>
          )}
        </Card>
      )}

      <ErrorAlert error={error} />

      {check && !result && (
        <Alert
          color={check.eligible ? 'teal' : 'red'}
          variant="light"
          title={check.eligible ? t('apply.eligible') : t('apply.notEligible')}
          icon={check.eligible ? <IconCheck size={18} /> : <IconX size={18} />}
        >
          <ClauseResults clauses={check.clauses} />
        </Alert>
      )}

      {result && <ApplicationResult application={result} onWithdraw={withdraw} busy={withdrawal.isPending} />}
    </Stack>
  );
}

function ApplicationResult({
  application,
  onWithdraw,
  busy,
}: {
  application: Application;
  onWithdraw: () => Promise<void>;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const color =
    application.status === 'enrolled'
      ? 'teal'
      : application.status === 'waitlisted'
        ? 'yellow'
        : application.status === 'ineligible'
          ? 'red'
          : 'gray';
  const icon =
    application.status === 'enrolled' ? (
      <IconCheck size={18} />
    ) : application.status === 'waitlisted' ? (
      <IconClock size={18} />
    ) : (
      <IconX size={18} />
    );
  return (
    <Alert
      color={color}
      variant="light"
      icon={icon}
      data-testid="apply-result"
      title={t(`apply.result.${application.status}`, {
        defaultValue: t(`applicationStatus.${application.status}`),
      })}
    >
      <Stack gap="xs">
        <Text size="sm">
          {application.business.name} · {application.business.ownerName}
        </Text>
        {application.status === 'ineligible' && application.reasons.length > 0 && (
          <div>
            <Title order={4} size="h6" mb={4}>
              {t('apply.failedClauses')}
            </Title>
            <ClauseResults clauses={application.reasons} />
          </div>
        )}
        {withdrawable.has(application.status) && (
          <div>
            <Button variant="outline" color="red" size="xs" onClick={() => void onWithdraw()} loading={busy}>
              {t('applications.withdraw')}
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}
