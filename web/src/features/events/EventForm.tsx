import { Button, Card, Grid, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { createEventBody, eventKind } from '../../../../src/modules/events/events.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSchemaForm } from '../../lib/form';
import { type PromotionEvent, useCreateEvent, useUpdateEvent } from './queries';

type Values = {
  name: string;
  kind: string;
  startDate: string;
  endDate: string;
  venue: string;
  description: string;
};

// Creates an event, or changes one (its name, kind, dates, venue, description).
export function EventForm({
  event,
  onDone,
}: {
  event?: PromotionEvent;
  onDone: (saved: PromotionEvent) => void;
}) {
  const { t } = useTranslation('market');
  const create = useCreateEvent();
  const update = useUpdateEvent(event?.id ?? '');
  const save = event ? update : create;
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createEventBody,
    initialValues: {
      name: event?.name ?? '',
      kind: event?.kind ?? 'bazaar',
      startDate: event?.startDate ?? '',
      endDate: event?.endDate ?? '',
      venue: event?.venue ?? '',
      description: event?.description ?? '',
    } as Values,
    toBody: (v: Values) => ({
      name: v.name.trim(),
      kind: v.kind as 'bazaar',
      startDate: v.startDate,
      endDate: v.endDate,
      venue: v.venue.trim(),
      description: v.description.trim() || null,
    }),
    messages: { endDate: t('events.endBeforeStart') },
  });
  const submit = onSubmit((body) => save.mutate(body, { onSuccess: onDone, onError: showServerErrors }));
  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit} noValidate maw={720}>
      <Stack gap="sm">
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <TextInput label={t('events.name')} required {...form.getInputProps('name')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <Select
              label={t('events.kind')}
              data={eventKind.options.map((k) => ({ value: k, label: t(`event.kinds.${k}`) }))}
              allowDeselect={false}
              {...form.getInputProps('kind')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6 }}>
            <TextInput
              label={t('events.startDate')}
              type="date"
              required
              {...form.getInputProps('startDate')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6 }}>
            <TextInput label={t('events.endDate')} type="date" required {...form.getInputProps('endDate')} />
          </Grid.Col>
        </Grid>
        <TextInput label={t('events.venue')} required {...form.getInputProps('venue')} />
        <Textarea
          label={t('events.description')}
          autosize
          minRows={2}
          {...form.getInputProps('description')}
        />
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('events.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
