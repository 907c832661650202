import { Button, Card, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { saleBody, saleChannel } from '../../../../src/modules/sales/sales.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSchemaForm } from '../../lib/form';
import { formatRupiah, todayIso } from '../../lib/format';
import { i18n } from '../../lib/i18n';
import { useEventsOfBusinessQuery } from '../events/queries';
import { useRecordSale } from './queries';

type Values = { amount: number | string; channel: string; date: string; eventId: string; note: string };

// A sale in a few seconds on a phone: the amount (thousands separators appear as it is typed),
// where it was sold, the day (today unless changed), and optionally the event it was sold at.
export function SaleForm({ businessId }: { businessId: string }) {
  const { t } = useTranslation('market');
  const record = useRecordSale(businessId);
  const events = useEventsOfBusinessQuery(businessId);
  const initialValues: Values = { amount: '', channel: 'langsung', date: todayIso(), eventId: '', note: '' };
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: saleBody,
    initialValues,
    toBody: (v: Values) => ({
      date: v.date,
      amount: typeof v.amount === 'number' ? v.amount : Number.NaN,
      channel: v.channel as 'langsung',
      note: v.note.trim() || undefined,
      eventId: v.eventId || undefined,
    }),
  });
  const submit = onSubmit((body) =>
    record.mutate(body, {
      onSuccess: (sale) => {
        notifications.show({
          color: 'green',
          message: t('sales.recorded', { amount: formatRupiah(sale.amount) }),
        });
        form.setValues({ amount: '', note: '' });
      },
      onError: showServerErrors,
    }),
  );
  const english = i18n.language === 'en';
  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit} noValidate maw={480}>
      <Stack gap="sm">
        <NumberInput
          label={t('sales.amount')}
          required
          prefix="Rp "
          inputMode="numeric"
          thousandSeparator={english ? ',' : '.'}
          decimalSeparator={english ? '.' : ','}
          allowDecimal={false}
          allowNegative={false}
          hideControls
          size="md"
          data-autofocus
          {...form.getInputProps('amount')}
        />
        <Select
          label={t('sales.channel')}
          data={saleChannel.options.map((c) => ({ value: c, label: t(`sales.channels.${c}`) }))}
          allowDeselect={false}
          {...form.getInputProps('channel')}
        />
        <TextInput
          label={t('sales.date')}
          type="date"
          required
          max={todayIso()}
          {...form.getInputProps('date')}
        />
        {(events.data?.length ?? 0) > 0 && (
          <Select
            label={t('sales.event')}
            placeholder={t('sales.noEvent')}
            clearable
            data={(events.data ?? []).map((e) => ({ value: e.id, label: e.name }))}
            {...form.getInputProps('eventId')}
            onChange={(value) => {
              form.setFieldValue('eventId', value ?? '');
              if (value) form.setFieldValue('channel', 'acara');
            }}
          />
        )}
        <TextInput label={t('sales.note')} maxLength={500} {...form.getInputProps('note')} />
        <ErrorAlert error={record.error} />
        <Button type="submit" size="md" loading={record.isPending}>
          {t('sales.save')}
        </Button>
      </Stack>
    </Card>
  );
}
