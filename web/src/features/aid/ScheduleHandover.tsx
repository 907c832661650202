import { Anchor, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { AidAllocation } from '../../lib/types';
import { useScheduleHandover } from './queries';

// The planned handover of an allocation (date and place); saving it tells the recipient.
export function ScheduleHandover({ allocation }: { allocation: AidAllocation }) {
  const { t } = useTranslation('aid');
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState(allocation.schedule?.at ?? '');
  const [place, setPlace] = useState(allocation.schedule?.place ?? '');
  const schedule = useScheduleHandover(allocation.id);
  return (
    <>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen(true)}
        data-testid="schedule-handover"
      >
        {allocation.schedule ? t('rescheduleHandover') : t('scheduleHandover')}
      </Anchor>
      {open && (
        <Modal opened onClose={() => setOpen(false)} title={t('scheduleHandover')}>
          <Stack gap="sm">
            <ErrorAlert error={schedule.error} />
            <TextInput
              type="date"
              label={t('scheduleAt')}
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
            />
            <TextInput
              label={t('schedulePlace')}
              value={place}
              onChange={(e) => setPlace(e.currentTarget.value)}
            />
            <Group>
              <Button
                disabled={!at || !place.trim()}
                loading={schedule.isPending}
                onClick={() =>
                  schedule.mutate({ at, place: place.trim() }, { onSuccess: () => setOpen(false) })
                }
              >
                {t('scheduleSave')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </>
  );
}
