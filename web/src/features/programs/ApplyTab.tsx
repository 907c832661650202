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
import { ClauseResults } from './EligibilityRule';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError, api, query } from '../../lib/api';
import { useApi } from '../../lib/hooks';
import type { Application, BusinessItem, EligibilityResult, Program } from '../../lib/types';
import { withdrawable } from './ApplicantsTab';

export function ApplyTab({ program, onChange }: { program: Program; onChange: () => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 350);
  const [picked, setPicked] = useState<BusinessItem | null>(null);
  const [check, setCheck] = useState<EligibilityResult | null>(null);
  const [result, setResult] = useState<Application | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | 'withdraw' | null>(null);
  const search = useApi<{ items: BusinessItem[] }>(
    picked ? null : `/businesses${query({ q: debounced, limit: 8 })}`,
  );

  const run = async <T,>(kind: 'check' | 'apply' | 'withdraw', fn: () => Promise<T>) => {
    setBusy(kind);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const pick = (b: BusinessItem | null) => {
    setPicked(b);
    setCheck(null);
    setResult(null);
    setError(null);
  };

  const checkEligibility = async () => {
    if (!picked) return;
    const r = await run('check', () =>
      api<EligibilityResult>(`/programs/${program.id}/eligibility`, {
        method: 'POST',
        body: { businessId: picked.id },
      }),
    );
    if (r) setCheck(r);
  };

  const apply = async () => {
    if (!picked) return;
    const r = await run('apply', () =>
      api<Application>(`/programs/${program.id}/applications`, {
        method: 'POST',
        body: { businessId: picked.id },
      }),
    );
    if (r) {
      setResult(r);
      setCheck(null);
      onChange();
    }
  };

  const withdraw = async () => {
    if (!result) return;
    const r = await run('withdraw', () =>
      api<Application>(`/applications/${result.id}/withdraw`, { method: 'POST' }),
    );
    if (r) {
      setResult(r);
      onChange();
    }
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
            rightSection={search.loading ? <Loader size={14} /> : null}
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
              <Button onClick={() => void apply()} loading={busy === 'apply'} data-testid="apply-submit">
                {t('apply.submit')}
              </Button>
              <Button variant="light" onClick={() => void checkEligibility()} loading={busy === 'check'}>
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

      {result && <ApplicationResult application={result} onWithdraw={withdraw} busy={busy === 'withdraw'} />}
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
