import { Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp } from '@tabler/icons-react';
import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MergeBody, RecentMerge } from '../../../../src/modules/dedup/dedup.schema';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { ApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Wire } from '../../lib/types';
import { undoMerge, useRecentMergesQuery, useUndoMerge } from './queries';

type Merge = Wire<RecentMerge>;

// Why an undo was refused: the period is over, or a merged business has moved since (409).
export function undoErrorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('dedup:undo.failed');
  const details = error.details as { reason?: unknown; days?: unknown } | null;
  if (error.code === 'conflict' && typeof details?.reason === 'string')
    return t(`dedup:undo.reason.${details.reason}`, {
      defaultValue: errorText(t, error),
      days: details.days,
    });
  return errorText(t, error);
}

// Right after a merge: a notification whose "Batalkan" undoes it at once.
export function notifyMergedWithUndo(t: TFunction, client: QueryClient, body: MergeBody, message: string) {
  const id = `merge-${body.duplicateId}`;
  const undo = () => {
    notifications.update({ id, loading: true, message, autoClose: false, withCloseButton: false });
    undoMerge(client, body).then(
      () =>
        notifications.update({
          id,
          color: 'gray',
          loading: false,
          message: t('dedup:undo.done'),
          autoClose: 5000,
        }),
      (error: unknown) =>
        notifications.update({
          id,
          color: 'red',
          loading: false,
          message: undoErrorText(t, error),
          autoClose: 8000,
        }),
    );
  };
  notifications.show({
    id,
    color: 'teal',
    autoClose: 15_000,
    message: (
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm">{message}</Text>
        <Button size="compact-sm" variant="light" onClick={undo} data-testid="merge-undo-now">
          {t('dedup:undo.action')}
        </Button>
      </Group>
    ),
  });
}

// Merges that can still be undone, newest first, each with "Batalkan" behind a confirmation.
export function RecentMerges() {
  const { t } = useTranslation('dedup');
  const list = useRecentMergesQuery();
  const undo = useUndoMerge();
  const [confirming, setConfirming] = useState<Merge | null>(null);
  if (!list.loading && !list.error && list.items.length === 0) return null;

  const confirm = () => {
    if (!confirming) return;
    const merge = confirming;
    undo.mutate(
      { survivorId: merge.survivor.id, duplicateId: merge.duplicate.id },
      {
        onSuccess: () => notifications.show({ color: 'gray', message: t('undo.done') }),
        onError: (error) => notifications.show({ color: 'red', message: undoErrorText(t, error) }),
        onSettled: () => setConfirming(null),
      },
    );
  };

  return (
    <Card withBorder padding="md" data-testid="recent-merges">
      <Title order={3} size="h5" mb={4}>
        {t('undo.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('undo.subtitle')}
      </Text>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Stack gap="sm">
        {list.items.map((merge) => (
          <Group
            key={`${merge.survivor.id}|${merge.duplicate.id}`}
            justify="space-between"
            align="flex-start"
            wrap="wrap"
            gap="xs"
            data-testid="recent-merge"
          >
            <Stack gap={2} style={{ minWidth: 0, flex: '1 1 220px' }}>
              <Text size="sm" className="break-anywhere">
                {t('undo.pair', { duplicate: merge.duplicate.name, survivor: merge.survivor.name })}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {merge.duplicate.nik} → {merge.survivor.nik}
              </Text>
              {merge.businesses.length > 0 && (
                <Text size="xs" className="break-anywhere">
                  {t('undo.businesses', { names: merge.businesses.map((b) => b.name).join(', ') })}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {t('undo.when', {
                  who: merge.mergedBy ?? '–',
                  when: formatDateTime(merge.mergedAt),
                  until: formatDateTime(merge.undoUntil),
                })}
              </Text>
            </Stack>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconArrowBackUp size={16} />}
              onClick={() => setConfirming(merge)}
            >
              {t('undo.action')}
            </Button>
          </Group>
        ))}
        <PagedFooter list={list} label={t('loadMore')} />
      </Stack>
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={t('undo.confirmTitle')}
        centered
      >
        {confirming && (
          <Text size="sm">
            {t('undo.confirmBody', {
              duplicate: confirming.duplicate.name,
              survivor: confirming.survivor.name,
            })}
          </Text>
        )}
        <Group justify="flex-end" mt="md" wrap="wrap">
          <Button variant="default" onClick={() => setConfirming(null)}>
            {t('cancel')}
          </Button>
          <Button onClick={confirm} loading={undo.isPending} data-testid="merge-undo-confirm">
            {t('undo.action')}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}
