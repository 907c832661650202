import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { followUpAnswerBody } from '../../../../src/modules/outcomes/outcomes.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useSchemaForm } from '../../lib/form';
import { formatDate, formatNumber, formatRupiah } from '../../lib/format';
import type { Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { addMonths } from './months';
import { type FollowUp, useAnswerFollowUp, useFollowUpsQuery, useOpenFollowUps } from './queries';

// The program's follow-ups (tindak lanjut): open one round for all graduates (3 or 6 months
// after the end, or any day), send each graduate their personal link by WhatsApp, see who
// answered, and record the answers of a call or a visit.

const channels = ['langsung', 'titip_toko', 'pasar', 'media_sosial', 'marketplace', 'toko_daring'] as const;

function OpenRound({ program }: { program: Program }) {
  const { t } = useTranslation('outcomes');
  const open = useOpenFollowUps(program.id);
  const [choice, setChoice] = useState('3');
  const [day, setDay] = useState('');
  const dueAt = choice === 'other' ? day : addMonths(program.endDate, Number(choice));
  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="xs">
        <Text fw={600}>{t('web.openTitle')}</Text>
        <SegmentedControl
          value={choice}
          onChange={setChoice}
          data={[
            { value: '3', label: t('web.months', { count: 3 }) },
            { value: '6', label: t('web.months', { count: 6 }) },
            { value: 'other', label: t('web.otherDay') },
          ]}
        />
        {choice === 'other' ? (
          <TextInput
            type="date"
            label={t('web.dueAt')}
            value={day}
            min={program.endDate}
            onChange={(e) => setDay(e.currentTarget.value)}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t('web.dueOn', { date: formatDate(dueAt) })}
          </Text>
        )}
        <Group>
          <Button disabled={!dueAt} loading={open.isPending} onClick={() => open.mutate(dueAt)}>
            {t('web.open')}
          </Button>
          {open.data && (
            <Text size="sm" role="status">
              {t('web.opened', { opened: open.data.opened, graduates: open.data.graduates })}
            </Text>
          )}
        </Group>
        <ErrorAlert error={open.error} />
      </Stack>
    </Paper>
  );
}

type AnswerValues = {
  salesLastMonth: number | string;
  workers: number | string;
  stillProducing: string;
  channels: string[];
  aidInUse: string;
  aidNotUsedReason: string;
  remark: string;
  source: string;
  confirmed: boolean;
};

function AnswerForm({
  programId,
  followUp,
  onDone,
}: {
  programId: string;
  followUp: FollowUp;
  onDone: () => void;
}) {
  const { t } = useTranslation('outcomes');
  const answer = useAnswerFollowUp(programId);
  const last = followUp.answers;
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: followUpAnswerBody,
    initialValues: {
      salesLastMonth: last?.salesLastMonth ?? '',
      workers: last?.workers ?? '',
      stillProducing: last ? (last.stillProducing ? 'yes' : 'no') : '',
      channels: last?.channels ?? [],
      aidInUse: last ? (last.aidInUse === null ? 'none' : last.aidInUse ? 'yes' : 'no') : 'none',
      aidNotUsedReason: last?.aidNotUsedReason ?? '',
      remark: '',
      source: 'phone',
      confirmed: false,
    } as AnswerValues,
    toBody: (v) => ({
      salesLastMonth: v.salesLastMonth === '' ? Number.NaN : Number(v.salesLastMonth),
      workers: v.workers === '' ? Number.NaN : Number(v.workers),
      stillProducing: v.stillProducing === 'yes',
      channels: v.channels as (typeof channels)[number][],
      aidInUse: v.aidInUse === 'yes' ? true : v.aidInUse === 'no' ? false : null,
      aidNotUsedReason: v.aidNotUsedReason || undefined,
      remark: v.remark || undefined,
      source: v.source as 'phone' | 'visit',
      confirmed: v.confirmed,
    }),
  });
  const implausible = answer.error?.code === 'follow_up_sales_implausible';
  return (
    <form
      onSubmit={onSubmit((body) =>
        answer.mutate({ id: followUp.id, body }, { onSuccess: onDone, onError: showServerErrors }),
      )}
    >
      <Stack gap="sm">
        <Select
          label={t('web.source')}
          data={[
            { value: 'phone', label: t('web.sourcePhone') },
            { value: 'visit', label: t('web.sourceVisit') },
          ]}
          allowDeselect={false}
          {...form.getInputProps('source')}
        />
        <NumberInput
          label={t('public.sales')}
          thousandSeparator="."
          decimalSeparator=","
          prefix="Rp "
          min={0}
          allowDecimal={false}
          allowNegative={false}
          {...form.getInputProps('salesLastMonth')}
        />
        {implausible && (
          <Checkbox label={t('public.confirm')} {...form.getInputProps('confirmed', { type: 'checkbox' })} />
        )}
        <NumberInput
          label={t('public.workers')}
          min={0}
          allowDecimal={false}
          {...form.getInputProps('workers')}
        />
        <Radio.Group label={t('public.producing')} {...form.getInputProps('stillProducing')}>
          <Group mt={4}>
            <Radio value="yes" label={t('public.yes')} />
            <Radio value="no" label={t('public.no')} />
          </Group>
        </Radio.Group>
        <Checkbox.Group label={t('public.channels')} {...form.getInputProps('channels')}>
          <Stack gap={4} mt={4}>
            {channels.map((c) => (
              <Checkbox key={c} value={c} label={t(`public.channel.${c}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Radio.Group label={t('public.aid')} {...form.getInputProps('aidInUse')}>
          <Stack gap={4} mt={4}>
            <Radio value="yes" label={t('public.aidYes')} />
            <Radio value="no" label={t('public.aidNo')} />
            <Radio value="none" label={t('public.aidNone')} />
          </Stack>
        </Radio.Group>
        {form.values.aidInUse === 'no' && (
          <TextInput label={t('public.aidReason')} {...form.getInputProps('aidNotUsedReason')} />
        )}
        <Textarea label={t('public.remark')} autosize minRows={2} {...form.getInputProps('remark')} />
        <ErrorAlert error={answer.error} />
        <Button type="submit" loading={answer.isPending}>
          {t('web.save')}
        </Button>
      </Stack>
    </form>
  );
}

export function FollowUpsTab({ program }: { program: Program }) {
  const { t } = useTranslation('outcomes');
  const { can } = useAuth();
  const { data, error, isPending, refetch } = useFollowUpsQuery(program.id);
  const [editing, setEditing] = useState<FollowUp | null>(null);
  if (isPending) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={refetch} />;
  const answered = data.filter((f) => f.answers).length;
  const columns: Column<FollowUp>[] = [
    {
      key: 'business',
      header: t('web.business'),
      primary: true,
      render: (f) => (
        <Stack gap={0}>
          <Text fw={600} size="sm">
            {f.businessName}
          </Text>
          <Text size="xs" c="dimmed">
            {f.ownerName}
          </Text>
        </Stack>
      ),
    },
    { key: 'due', header: t('web.dueAt'), nowrap: true, render: (f) => formatDate(f.dueAt, 'medium') },
    {
      key: 'answer',
      header: t('web.answer'),
      render: (f) =>
        f.answers ? (
          <Stack gap={2}>
            <Group gap={4}>
              <Badge color="green" variant="light">
                {t(`web.by.${f.answers.source}`)}
              </Badge>
              {f.answerCount > 1 && (
                <Text size="xs" c="dimmed">
                  {t('web.answers', { count: f.answerCount })}
                </Text>
              )}
            </Group>
            <Text size="sm">
              {formatRupiah(f.answers.salesLastMonth)} · {t('web.workers', { count: f.answers.workers })} ·{' '}
              {f.answers.stillProducing ? t('web.producing') : t('web.notProducing')}
            </Text>
          </Stack>
        ) : (
          <Badge color="gray" variant="outline">
            {t('web.notAnswered')}
          </Badge>
        ),
    },
    {
      key: 'actions',
      header: t('web.actions'),
      phoneLayout: 'block',
      render: (f) => (
        <Group gap="xs">
          {f.whatsappUrl && (
            <Button
              component="a"
              href={f.whatsappUrl}
              target="_blank"
              rel="noopener noreferrer"
              size="xs"
              variant="light"
              color="green"
            >
              {t('web.whatsapp')}
            </Button>
          )}
          <Button size="xs" variant="default" onClick={() => setEditing(f)}>
            {t('web.record')}
          </Button>
        </Group>
      ),
    },
  ];
  return (
    <Stack>
      {can('writePrograms') && <OpenRound program={program} />}
      <Text size="sm" data-testid="follow-up-count">
        {t('web.answeredOf', { answered: formatNumber(answered), total: formatNumber(data.length) })}
      </Text>
      <DataTable
        rows={data}
        columns={columns}
        rowKey={(f) => f.id}
        empty={t('web.none')}
        caption={t('web.caption')}
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.businessName ?? ''}
        fullScreen={false}
      >
        {editing && <AnswerForm programId={program.id} followUp={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
