import {
  ActionIcon,
  Badge,
  Button,
  Chip,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maxSeriesDays, seriesDates } from '../../../../src/domain/session-series';
import {
  cancelSessionBody,
  createSeriesBody,
  trainerRoles,
  updateSessionBody,
} from '../../../../src/modules/training/training.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSchemaForm } from '../../lib/form';
import { formatDate } from '../../lib/format';
import type { Program, SessionSummary } from '../../lib/types';
import { useCancelSession, useCreateSessionSeries, useUpdateSession } from './queries';

type TrainerRow = { name: string; role: (typeof trainerRoles)[number] };

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const hours = (v: number | string) => (typeof v === 'number' ? v : null);
const trainersOf = (rows: TrainerRow[]) =>
  rows.filter((r) => r.name.trim() !== '').map((r) => ({ name: r.name.trim(), role: r.role }));

// Narasumber and instruktur of a day: several rows of name and role.
function TrainerRows({ rows, onChange }: { rows: TrainerRow[]; onChange: (rows: TrainerRow[]) => void }) {
  const { t } = useTranslation('training');
  const set = (i: number, row: Partial<TrainerRow>) =>
    onChange(rows.map((r, k) => (k === i ? { ...r, ...row } : r)));
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('trainers')}
      </Text>
      {rows.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
        <Group key={i} gap="xs" wrap="wrap" align="flex-end">
          <TextInput
            style={{ flex: '1 1 200px', minWidth: 0 }}
            aria-label={t('trainerName')}
            placeholder={t('trainerName')}
            value={r.name}
            onChange={(e) => set(i, { name: e.currentTarget.value })}
          />
          <Select
            w={130}
            aria-label={t('trainerRole')}
            data={trainerRoles.map((role) => ({ value: role, label: t(`role.${role}`) }))}
            value={r.role}
            allowDeselect={false}
            onChange={(v) => set(i, { role: (v ?? 'narasumber') as TrainerRow['role'] })}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={t('removeTrainer')}
            onClick={() => onChange(rows.filter((_, k) => k !== i))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconPlus size={14} />}
        onClick={() =>
          onChange([...rows, { name: '', role: rows.length === 0 ? 'narasumber' : 'instruktur' }])
        }
        style={{ alignSelf: 'flex-start' }}
      >
        {t('addTrainer')}
      </Button>
    </Stack>
  );
}

type SeriesValues = {
  mode: 'range' | 'dates';
  from: string;
  to: string;
  weekdays: string[];
  dates: string[];
  newDate: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  topic: string;
  lessonHours: number | string;
  trainers: TrainerRow[];
};

// "Every day from 24 to 28 August, 08:00–16:00, at Aula Kecamatan Bukit Batu": a date range
// with the weekdays to hold, or single dates; one time range, venue, trainers and JP.
export function SessionSeriesForm({ program, onDone }: { program: Program; onDone: () => void }) {
  const { t } = useTranslation('training');
  const create = useCreateSessionSeries(program.id);
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createSeriesBody,
    initialValues: {
      mode: 'range',
      from: program.startDate,
      to: program.endDate,
      weekdays: [],
      dates: [],
      newDate: '',
      startsAt: '08:00',
      endsAt: '16:00',
      venue: '',
      topic: '',
      lessonHours: '',
      trainers: [],
    } as SeriesValues,
    toBody: (v) => ({
      ...(v.mode === 'range'
        ? { from: v.from, to: v.to, weekdays: v.weekdays.map(Number) }
        : { dates: v.dates.length > 0 ? v.dates : undefined }),
      startsAt: v.startsAt,
      endsAt: v.endsAt,
      venue: orNull(v.venue),
      topic: orNull(v.topic),
      lessonHours: hours(v.lessonHours),
      trainers: trainersOf(v.trainers),
    }),
  });
  const v = form.values;
  const count =
    v.mode === 'range'
      ? v.from && v.to && v.to >= v.from
        ? seriesDates({ from: v.from, to: v.to, weekdays: v.weekdays.map(Number) }).length
        : 0
      : v.dates.length;

  const submit = onSubmit((body) =>
    create.mutate(body, {
      onSuccess: (result) => {
        notifications.show({ color: 'teal', message: t('created', { count: result.items.length }) });
        onDone();
      },
      onError: showServerErrors,
    }),
  );

  return (
    <form onSubmit={submit} data-testid="session-series-form">
      <Stack gap="sm">
        <ErrorAlert error={create.error} />
        <SegmentedControl
          fullWidth
          data={[
            { value: 'range', label: t('mode.range') },
            { value: 'dates', label: t('mode.dates') },
          ]}
          {...form.getInputProps('mode')}
        />
        {v.mode === 'range' ? (
          <>
            <Group grow align="flex-start">
              <TextInput
                type="date"
                label={t('from')}
                required
                min={program.startDate}
                max={program.endDate}
                {...form.getInputProps('from')}
              />
              <TextInput
                type="date"
                label={t('to')}
                required
                min={program.startDate}
                max={program.endDate}
                {...form.getInputProps('to')}
              />
            </Group>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('weekdays')}
              </Text>
              <Chip.Group multiple {...form.getInputProps('weekdays')}>
                <Group gap={6}>
                  {['1', '2', '3', '4', '5', '6', '7'].map((d) => (
                    <Chip key={d} value={d} size="sm">
                      {t(`weekday.${d}`)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
              <Text size="xs" c="dimmed">
                {t('weekdaysHint')}
              </Text>
            </Stack>
          </>
        ) : (
          <Stack gap={6}>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                type="date"
                label={t('date')}
                style={{ flex: 1 }}
                min={program.startDate}
                max={program.endDate}
                {...form.getInputProps('newDate')}
                error={form.errors.dates ?? form.errors.from}
              />
              <Button
                variant="light"
                disabled={!v.newDate}
                onClick={() => {
                  if (!v.dates.includes(v.newDate))
                    form.setFieldValue('dates', [...v.dates, v.newDate].sort());
                  form.setFieldValue('newDate', '');
                }}
              >
                {t('addDate')}
              </Button>
            </Group>
            <Group gap={6}>
              {v.dates.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('noDates')}
                </Text>
              )}
              {v.dates.map((d) => (
                <Badge
                  key={d}
                  variant="light"
                  rightSection={
                    <ActionIcon
                      size="xs"
                      variant="transparent"
                      aria-label={t('removeTrainer')}
                      onClick={() =>
                        form.setFieldValue(
                          'dates',
                          v.dates.filter((x) => x !== d),
                        )
                      }
                    >
                      <IconTrash size={12} />
                    </ActionIcon>
                  }
                >
                  {formatDate(d)}
                </Badge>
              ))}
            </Group>
          </Stack>
        )}
        <Group grow align="flex-start">
          <TextInput type="time" label={t('startsAt')} required {...form.getInputProps('startsAt')} />
          <TextInput type="time" label={t('endsAt')} required {...form.getInputProps('endsAt')} />
        </Group>
        <TextInput
          label={t('venue')}
          placeholder={program.venue ?? ''}
          description={t('venueHint')}
          {...form.getInputProps('venue')}
        />
        <TextInput label={t('topic')} {...form.getInputProps('topic')} />
        <NumberInput
          label={t('lessonHours')}
          min={0}
          max={24}
          allowDecimal={false}
          allowNegative={false}
          w={180}
          {...form.getInputProps('lessonHours')}
        />
        <TrainerRows rows={v.trainers} onChange={(rows) => form.setFieldValue('trainers', rows)} />
        <Text size="sm" fw={600} data-testid="series-count">
          {t('preview', { count })}
        </Text>
        <Button type="submit" loading={create.isPending} disabled={count === 0 || count > maxSeriesDays}>
          {t('create')}
        </Button>
      </Stack>
    </form>
  );
}

type EditValues = {
  date: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  topic: string;
  lessonHours: number | string;
  trainers: TrainerRow[];
};

// Edit or move one day.
export function SessionEditForm({
  program,
  session,
  onDone,
}: {
  program: Program;
  session: SessionSummary;
  onDone: () => void;
}) {
  const { t } = useTranslation('training');
  const update = useUpdateSession(program.id);
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: updateSessionBody,
    initialValues: {
      date: session.date,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      venue: session.venue ?? '',
      topic: session.topic ?? '',
      lessonHours: session.lessonHours ?? '',
      trainers: session.trainers.map((x) => ({ ...x })),
    } as EditValues,
    toBody: (v) => ({
      date: v.date,
      startsAt: v.startsAt,
      endsAt: v.endsAt,
      venue: orNull(v.venue),
      topic: orNull(v.topic),
      lessonHours: hours(v.lessonHours),
      trainers: trainersOf(v.trainers),
    }),
  });
  const submit = onSubmit((body) =>
    update.mutate(
      { id: session.id, body },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('saved') });
          onDone();
        },
        onError: showServerErrors,
      },
    ),
  );
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <ErrorAlert error={update.error} />
        <TextInput
          type="date"
          label={t('date')}
          required
          min={program.startDate}
          max={program.endDate}
          {...form.getInputProps('date')}
        />
        <Group grow align="flex-start">
          <TextInput type="time" label={t('startsAt')} required {...form.getInputProps('startsAt')} />
          <TextInput type="time" label={t('endsAt')} required {...form.getInputProps('endsAt')} />
        </Group>
        <TextInput label={t('venue')} placeholder={program.venue ?? ''} {...form.getInputProps('venue')} />
        <TextInput label={t('topic')} {...form.getInputProps('topic')} />
        <NumberInput
          label={t('lessonHours')}
          min={0}
          max={24}
          allowDecimal={false}
          allowNegative={false}
          w={180}
          {...form.getInputProps('lessonHours')}
        />
        <TrainerRows rows={form.values.trainers} onChange={(rows) => form.setFieldValue('trainers', rows)} />
        <Button type="submit" loading={update.isPending}>
          {t('save')}
        </Button>
      </Stack>
    </form>
  );
}

// Cancel a day with a reason; it stays listed as cancelled.
export function SessionCancelForm({
  program,
  session,
  onDone,
}: {
  program: Program;
  session: SessionSummary;
  onDone: () => void;
}) {
  const { t } = useTranslation('training');
  const cancel = useCancelSession(program.id);
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: cancelSessionBody,
    initialValues: { reason: '' },
    toBody: (v) => ({ reason: v.reason.trim() }),
  });
  const submit = onSubmit((body) =>
    cancel.mutate({ id: session.id, body }, { onSuccess: onDone, onError: showServerErrors }),
  );
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <ErrorAlert error={cancel.error} />
        <Text size="sm">{t('cancelHint')}</Text>
        <Textarea label={t('cancelReason')} required autosize minRows={2} {...form.getInputProps('reason')} />
        <Button type="submit" color="red" loading={cancel.isPending}>
          {t('cancelConfirm')}
        </Button>
      </Stack>
    </form>
  );
}

export function FormModal({
  opened,
  title,
  onClose,
  children,
}: {
  opened: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" centered>
      {children}
    </Modal>
  );
}

export function useOpenState<T>() {
  const [value, setValue] = useState<T | null>(null);
  return { value, open: (v: T) => setValue(v), close: () => setValue(null) };
}
