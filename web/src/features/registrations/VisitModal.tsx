import {
  Alert,
  Button,
  Checkbox,
  FileButton,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { visitBody } from '../../../../src/modules/registrations/registrations.schema';
import { useSchemaForm } from '../../lib/form';
import { type PhotoUpload, preparePhoto } from '../../lib/image';
import { addVisit, type Registration, type VisitDraft } from './field-store';

type Values = {
  outcome: VisitDraft['outcome'];
  businessExists: boolean;
  ownerMet: boolean;
  nikSeen: boolean;
  note: string;
  gpsConsent: boolean;
};

// The visit on the owner's doorstep: the checklist, the outcome, a photo and (only if the owner
// agrees) the phone's position. Saved on the phone first, sent when there is signal.
export function VisitModal({
  registration,
  onClose,
}: {
  registration: Registration;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation('field');
  const phone = useMediaQuery('(max-width: 48em)');
  const [photo, setPhoto] = useState<PhotoUpload | null>(null);
  const [photoError, setPhotoError] = useState(false);
  const [location, setLocation] = useState<VisitDraft['location']>(null);
  const [locating, setLocating] = useState(false);
  const { form, onSubmit } = useSchemaForm({
    schema: visitBody,
    initialValues: {
      outcome: 'terverifikasi',
      businessExists: false,
      ownerMet: false,
      nikSeen: false,
      note: '',
      gpsConsent: false,
    } as Values,
    toBody: (v) => ({
      clientKey: 'saved-on-phone',
      visitedAt: new Date().toISOString(),
      outcome: v.outcome,
      businessExists: v.businessExists,
      ownerMet: v.ownerMet,
      nikSeen: v.nikSeen,
      note: v.note.trim() || null,
      location: v.gpsConsent ? location : null,
      photo,
    }),
  });
  const values = form.getValues();
  const checklistDone = values.businessExists && values.ownerMet && values.nikSeen;

  const locate = (consent: boolean) => {
    form.setFieldValue('gpsConsent', consent);
    if (!consent || !('geolocation' in navigator)) return setLocation(null);
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocation({ latitude: position.coords.latitude, longitude: position.coords.longitude });
        setLocating(false);
      },
      () => setLocating(false),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const submit = onSubmit((body) => {
    if (body.outcome === 'terverifikasi' && !checklistDone) {
      form.setFieldError('outcome', t('visit.checklistNeeded'));
      return;
    }
    if (body.outcome !== 'terverifikasi' && !body.note) {
      form.setFieldError('note', t(body.outcome === 'ditolak' ? 'visit.reasonNeeded' : 'visit.fixNeeded'));
      return;
    }
    void addVisit(registration.id, {
      outcome: body.outcome,
      businessExists: body.businessExists,
      ownerMet: body.ownerMet,
      nikSeen: body.nikSeen,
      note: body.note ?? null,
      location: body.location ?? null,
      photo,
    }).then(
      () => onClose(true),
      () => form.setFieldError('outcome', t('visit.saveFailed')),
    );
  });

  return (
    <Modal opened onClose={() => onClose(false)} title={t('visit.title')} fullScreen={phone} size="lg">
      <form onSubmit={submit} data-testid="visit-form">
        <Stack gap="sm">
          <div>
            <Text fw={700}>{registration.business.name}</Text>
            <Text size="sm">
              {registration.owner.name} · {registration.owner.nik}
            </Text>
            <Text size="sm" c="dimmed">
              {registration.owner.address}, {registration.kelurahanName ?? registration.kelurahan}
            </Text>
          </div>
          <Text fw={600} size="sm">
            {t('visit.checklist')}
          </Text>
          <Checkbox
            label={t('visit.businessExists')}
            {...form.getInputProps('businessExists', { type: 'checkbox' })}
          />
          <Checkbox label={t('visit.ownerMet')} {...form.getInputProps('ownerMet', { type: 'checkbox' })} />
          <Checkbox
            label={t('visit.nikSeen', { nik: registration.owner.nik })}
            {...form.getInputProps('nikSeen', { type: 'checkbox' })}
          />
          <Text fw={600} size="sm">
            {t('visit.outcome')}
          </Text>
          <SegmentedControl
            fullWidth
            orientation={phone ? 'vertical' : 'horizontal'}
            data={(['terverifikasi', 'perlu_perbaikan', 'ditolak'] as const).map((value) => ({
              value,
              label: t(`statuses.${value}`),
            }))}
            {...form.getInputProps('outcome')}
          />
          {form.errors.outcome && (
            <Text c="red" size="sm">
              {form.errors.outcome}
            </Text>
          )}
          {values.outcome !== 'terverifikasi' && (
            <Textarea
              label={t(values.outcome === 'ditolak' ? 'visit.reason' : 'visit.fix')}
              description={values.outcome === 'perlu_perbaikan' ? t('visit.fixHint') : undefined}
              autosize
              minRows={2}
              maxLength={1000}
              {...form.getInputProps('note')}
            />
          )}
          <Group gap="xs">
            <FileButton
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              onChange={async (file) => {
                if (!file) return;
                setPhotoError(false);
                try {
                  setPhoto(await preparePhoto(file));
                } catch {
                  setPhotoError(true);
                }
              }}
            >
              {(props) => (
                <Button variant="light" {...props}>
                  {photo ? t('visit.photoTaken') : t('visit.photo')}
                </Button>
              )}
            </FileButton>
          </Group>
          {photoError && (
            <Alert color="red" variant="light">
              {t('visit.photoError')}
            </Alert>
          )}
          <Checkbox
            label={t('visit.gpsConsent')}
            checked={values.gpsConsent}
            onChange={(event) => locate(event.currentTarget.checked)}
          />
          {values.gpsConsent && (
            <Text size="xs" c="dimmed" data-testid="gps">
              {locating
                ? t('visit.locating')
                : location
                  ? t('visit.located', {
                      lat: location.latitude.toFixed(5),
                      lng: location.longitude.toFixed(5),
                    })
                  : t('visit.noLocation')}
            </Text>
          )}
          <Button type="submit" size="md">
            {t('visit.save')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('visit.savedFirst')}
          </Text>
        </Stack>
      </form>
    </Modal>
  );
}
