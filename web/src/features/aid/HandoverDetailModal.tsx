import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFileTypePdf } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { itemConditions } from '../../../../src/modules/aid/aid.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate, todayIso } from '../../lib/format';
import type { AidAllocation } from '../../lib/types';
import {
  useAllocationsOfBusinessQuery,
  useRecordReturn,
  useRecordVisit,
  useReturnsQuery,
  useVisitsQuery,
} from './queries';
import { ReallocateReturn } from './ReallocateReturn';

type Condition = (typeof itemConditions)[number];

// One BAST: its items, returns and write-offs (each with its own number referring to the BAST),
// and the monitoring visits after it (is the equipment used, in what condition).
export function HandoverDetailModal({
  handover,
  businessId,
  canWrite,
  onClose,
}: {
  handover: NonNullable<AidAllocation['handover']>;
  businessId: string;
  canWrite: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('aid');
  const phone = useMediaQuery('(max-width: 48em)');
  const allocations = useAllocationsOfBusinessQuery(businessId);
  const items = (allocations.data?.items ?? []).filter((a) => a.handover?.id === handover.id);
  const returns = useReturnsQuery(handover.id);
  const visits = useVisitsQuery(handover.id);
  const recordReturn = useRecordReturn(handover.id);
  const recordVisit = useRecordVisit(handover.id);
  const [returnItem, setReturnItem] = useState<string | null>(null);
  const [returnCondition, setReturnCondition] = useState<Condition>('baik');
  const [reason, setReason] = useState('');
  const [visitedAt, setVisitedAt] = useState(todayIso());
  const [inUse, setInUse] = useState(true);
  const [visitCondition, setVisitCondition] = useState<Condition>('baik');
  const [note, setNote] = useState('');
  const conditions = itemConditions.map((c) => ({ value: c, label: t(`condition_${c}`) }));
  const allocationOf = (id: string | null) => items.find((a) => a.id === id);
  const itemName = (id: string | null) => allocationOf(id)?.stock.item ?? '';
  const returnable = items.filter((a) => a.status === 'handed_over' || a.status === 'received');

  return (
    <Modal opened onClose={onClose} title={handover.number} fullScreen={phone} size="lg">
      <Stack gap="sm">
        <Group>
          <Button
            component="a"
            href={`/api/v1/aid/handovers/${handover.id}/bast.pdf`}
            target="_blank"
            size="compact-sm"
            variant="light"
            leftSection={<IconFileTypePdf size={14} />}
          >
            {t('openBast')}
          </Button>
          <Text size="sm" c="dimmed">
            {formatDate(handover.handedOverAt, 'medium')}
          </Text>
        </Group>
        <ErrorAlert error={allocations.error ?? returns.error ?? visits.error} />
        <Stack gap={2}>
          {items.map((a) => (
            <Group key={a.id} gap="xs" wrap="nowrap">
              <Text size="sm" className="break-anywhere">
                {a.stock.item} · {a.quantity} {a.stock.unit}
              </Text>
              <Badge size="sm" variant="light">
                {t(`web:allocationStatus.${a.status}`)}
              </Badge>
            </Group>
          ))}
        </Stack>

        <Divider label={t('returnsTitle')} labelPosition="left" />
        {(returns.data?.items ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('noReturns')}
          </Text>
        ) : (
          (returns.data?.items ?? []).map((r) => (
            <Stack gap={4} key={r.id}>
              <Text size="sm" data-testid="aid-return" className="break-anywhere">
                {r.number} · {itemName(r.allocationId)} · {t(`condition_${r.condition}`)} · {r.reason}
                {r.reallocation ? ` → ${r.reallocation.number}` : ''}
              </Text>
              {canWrite && r.kind === 'return' && allocationOf(r.allocationId)?.programId && (
                <ReallocateReturn
                  returnId={r.id}
                  done={r.reallocation !== null}
                  allocation={allocationOf(r.allocationId) as AidAllocation}
                />
              )}
            </Stack>
          ))
        )}
        {canWrite && returnable.length > 0 && (
          <Stack gap="xs">
            <ErrorAlert error={recordReturn.error} />
            <Select
              label={t('returnItem')}
              data={returnable.map((a) => ({ value: a.id, label: a.stock.item }))}
              value={returnItem}
              onChange={setReturnItem}
            />
            <Select
              label={t('condition')}
              description={t('conditionHelp')}
              data={conditions}
              value={returnCondition}
              onChange={(v) => setReturnCondition((v as Condition | null) ?? 'baik')}
              allowDeselect={false}
            />
            <TextInput
              label={t('reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Group>
              <Button
                variant="light"
                disabled={!returnItem || !reason.trim()}
                loading={recordReturn.isPending}
                onClick={() =>
                  returnItem &&
                  recordReturn.mutate(
                    { allocationId: returnItem, condition: returnCondition, reason: reason.trim() },
                    {
                      onSuccess: () => {
                        setReturnItem(null);
                        setReason('');
                      },
                    },
                  )
                }
              >
                {t('recordReturn')}
              </Button>
            </Group>
          </Stack>
        )}

        <Divider label={t('visitsTitle')} labelPosition="left" />
        {(visits.data?.items ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('noVisits')}
          </Text>
        ) : (
          (visits.data?.items ?? []).map((v) => (
            <Text size="sm" key={v.id}>
              {formatDate(v.visitedAt, 'medium')} · {v.inUse ? t('inUse') : t('notInUse')} ·{' '}
              {t(`condition_${v.condition}`)}
              {v.note ? ` · ${v.note}` : ''}
            </Text>
          ))
        )}
        {canWrite && (
          <Stack gap="xs">
            <ErrorAlert error={recordVisit.error} />
            <TextInput
              type="date"
              label={t('visitedAt')}
              value={visitedAt}
              onChange={(e) => setVisitedAt(e.currentTarget.value)}
            />
            <Checkbox
              label={t('inUse')}
              checked={inUse}
              onChange={(e) => setInUse(e.currentTarget.checked)}
            />
            <Select
              label={t('condition')}
              data={conditions}
              value={visitCondition}
              onChange={(v) => setVisitCondition((v as Condition | null) ?? 'baik')}
              allowDeselect={false}
            />
            <Textarea
              label={t('note')}
              autosize
              minRows={2}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            {recordVisit.isSuccess && <Alert color="teal">{t('visitSaved')}</Alert>}
            <Group>
              <Button
                variant="light"
                loading={recordVisit.isPending}
                onClick={() =>
                  recordVisit.mutate(
                    { visitedAt, inUse, condition: visitCondition, note: note.trim() || null },
                    { onSuccess: () => setNote('') },
                  )
                }
              >
                {t('recordVisit')}
              </Button>
              <Anchor size="sm" onClick={onClose}>
                {t('web:common.close')}
              </Anchor>
            </Group>
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}
