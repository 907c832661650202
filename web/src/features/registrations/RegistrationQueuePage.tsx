import { Alert, Badge, Button, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatRupiah, formatTime } from '../../lib/format';
import { useOnline } from '../training/offline';
import type { Registration } from './field-store';
import { useFieldOutbox, useFieldQueue } from './queries';
import { VisitModal } from './VisitModal';

const statuses = ['menunggu_verifikasi', 'perlu_perbaikan', 'terverifikasi', 'ditolak'] as const;

// The kecamatan officer's queue of self-registrations, made for a walk with a cheap phone: the
// list opened at the office stays on the phone, a visit is saved there first and sent (once)
// when the signal returns.
export function RegistrationQueuePage() {
  const { t } = useTranslation('field');
  const [params, setParams] = useSearchParams();
  const status = statuses.find((s) => s === params.get('status')) ?? 'menunggu_verifikasi';
  const queue = useFieldQueue(status);
  const outbox = useFieldOutbox();
  const online = useOnline();
  const [visiting, setVisiting] = useState<Registration | null>(null);
  const waiting = new Map(outbox.items.map((item) => [item.registrationId, item]));
  const unsent =
    outbox.items.filter((item) => item.state === 'pending').length +
    outbox.walks.filter((item) => item.state === 'pending').length;

  const closeVisit = async (saved: boolean) => {
    const who = visiting;
    setVisiting(null);
    if (!saved || !who) return;
    await outbox.refresh();
    if (!navigator.onLine) {
      notifications.show({ color: 'orange', message: t('queue.savedOffline', { name: who.business.name }) });
      return;
    }
    const report = await outbox.syncNow();
    if (report.sent.some((r) => r.registrationId === who.id))
      notifications.show({ color: 'green', message: t('queue.sent', { name: who.business.name }) });
  };

  return (
    <>
      <PageHeader
        title={t('queue.title')}
        subtitle={t('queue.subtitle')}
        crumbs={[{ label: t('overview.title'), to: '/registry/kecamatan' }, { label: t('queue.title') }]}
        actions={
          <Button component={Link} to="/registry/registrations/new" variant="light">
            {t('walk.open')}
          </Button>
        }
      />
      {outbox.walks.length > 0 && (
        <Card withBorder padding="sm" mb="sm" data-testid="walks-waiting">
          <Text fw={600} size="sm">
            {t('walk.waiting')}
          </Text>
          {outbox.walks.map((w) => (
            <Text size="sm" key={w.clientKey} c={w.state === 'failed' ? 'red' : undefined}>
              {w.body.businessName} · {w.body.name}
              {w.state === 'failed' ? ` · ${t('walk.failed')}: ${w.error?.message ?? ''}` : ''}
            </Text>
          ))}
        </Card>
      )}
      <Card withBorder padding="sm" mb="sm">
        <Group justify="space-between">
          <Badge
            style={{ flexShrink: 0 }}
            color={online ? 'green' : 'orange'}
            data-testid="connection"
            data-online={String(online)}
          >
            {online ? t('queue.online') : t('queue.offline')}
          </Badge>
          <Text size="sm" data-testid="field-unsynced" data-count={unsent}>
            {unsent > 0 ? t('queue.unsent', { count: unsent }) : t('queue.allSent')}
          </Text>
        </Group>
        {unsent > 0 && online && (
          <Button
            mt={6}
            size="compact-sm"
            variant="light"
            color="orange"
            fullWidth
            onClick={() => void outbox.syncNow()}
          >
            {t('queue.syncNow')}
          </Button>
        )}
        {queue.source === 'saved' && queue.savedAt && (
          <Text size="xs" c="orange.8" mt={4} data-testid="field-saved-copy">
            {t('queue.savedCopy', {
              time: `${formatDate(queue.savedAt, 'medium')} ${formatTime(queue.savedAt)}`,
            })}
          </Text>
        )}
      </Card>
      <SegmentedControl
        fullWidth
        mb="sm"
        value={status}
        onChange={(value) => setParams(value === 'menunggu_verifikasi' ? {} : { status: value })}
        data={statuses.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
      />
      {queue.loading && <Loading />}
      {queue.error && queue.source !== 'saved' && <ErrorAlert error={queue.error} onRetry={queue.reload} />}
      {queue.items && queue.items.length === 0 && (
        <Alert variant="light" color="gray">
          {t('queue.empty')}
        </Alert>
      )}
      <Stack gap="sm">
        {queue.items?.map((r) => {
          const pending = waiting.get(r.id);
          const open = r.status === 'menunggu_verifikasi' || r.status === 'perlu_perbaikan';
          return (
            <Card
              withBorder
              padding="sm"
              key={r.id}
              data-testid="registration"
              data-sync={pending ? pending.state : 'none'}
            >
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <div>
                  <Text fw={700}>{r.business.name}</Text>
                  <Text size="sm">
                    {r.owner.name} · {r.owner.nik} · {r.owner.phone}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {r.owner.address}, {r.kelurahanName ?? r.kelurahan}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {[
                      r.business.kbli ? `${r.business.kbli} ${r.business.kbliTitle ?? ''}` : null,
                      r.business.annualTurnover !== null ? formatRupiah(r.business.annualTurnover) : null,
                      formatDate(r.createdAt, 'medium'),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                  {r.officerNote && (
                    <Text size="sm" c="orange.8">
                      {r.officerNote}
                    </Text>
                  )}
                </div>
                <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
                  {r.possibleDuplicate && (
                    <Badge color="yellow" variant="light">
                      {t('queue.possibleDuplicate')}
                    </Badge>
                  )}
                  {r.source === 'officer' && <Badge variant="light">{t('queue.byOfficer')}</Badge>}
                  {pending && (
                    <Badge
                      color={pending.state === 'failed' ? 'red' : 'orange'}
                      title={pending.error?.message}
                    >
                      {pending.state === 'failed'
                        ? t('queue.failed', { code: pending.error?.code ?? '' })
                        : t(`statuses.${pending.visit.outcome}`)}
                    </Badge>
                  )}
                </Stack>
              </Group>
              {open && !pending && (
                <Button mt="xs" size="sm" onClick={() => setVisiting(r)}>
                  {t('queue.visit')}
                </Button>
              )}
            </Card>
          );
        })}
      </Stack>
      {visiting && <VisitModal registration={visiting} onClose={(saved) => void closeVisit(saved)} />}
    </>
  );
}
