import { Alert, Button, Group, Image, Input, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCamera, IconCheck, IconFileTypePdf } from '@tabler/icons-react';
import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createHandoverBody } from '../../../../src/modules/aid/aid.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError } from '../../lib/api';
import { useSchemaForm } from '../../lib/form';
import { formatNumber, todayIso } from '../../lib/format';
import { type PhotoUpload, preparePhoto } from '../../lib/image';
import type { AidAllocation } from '../../lib/types';
import { useRecordHandover } from './queries';

export function HandoverModal({
  allocation,
  onClose,
}: {
  allocation: AidAllocation;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const [photo, setPhoto] = useState<PhotoUpload | null>(null);
  const [photoName, setPhotoName] = useState('');
  const [preparing, setPreparing] = useState(false);
  const [photoError, setPhotoError] = useState<ApiError | null>(null);
  const record = useRecordHandover(allocation.id);
  const saved = record.data ?? null;
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createHandoverBody,
    initialValues: { handedOverAt: todayIso(), place: '', legalBasis: '', condition: 'baik' },
    toBody: (v) => ({
      handedOverAt: v.handedOverAt,
      place: v.place.trim() || null,
      legalBasis: v.legalBasis.trim() || null,
      condition: v.condition.trim() || 'baik',
      photo,
    }),
  });
  const fileRef = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const pickPhoto = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    setPreparing(true);
    setPhotoError(null);
    try {
      setPhoto(await preparePhoto(file));
      setPhotoName(file.name);
      setPreview(URL.createObjectURL(file));
    } catch {
      setPhotoError(new ApiError(415, 'unsupported_media', file.type));
    } finally {
      setPreparing(false);
    }
  };

  const submit = onSubmit((body) => record.mutate(body, { onError: showServerErrors }));

  return (
    <Modal
      opened
      onClose={() => onClose(saved !== null)}
      title={t('aid.recordHandover')}
      fullScreen={phone}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack gap="sm">
        <div>
          <Text fw={600} className="break-anywhere">
            {allocation.business.ownerName} · {allocation.business.name}
          </Text>
          <Text size="sm" c="dimmed">
            {allocation.stock.item} · {formatNumber(allocation.quantity)} {allocation.stock.unit} ·{' '}
            {allocation.sopd.name}
          </Text>
        </div>
        {saved ? (
          <Stack gap="sm">
            <Alert
              color="teal"
              icon={<IconCheck size={18} />}
              title={t('aid.handoverSaved')}
              data-testid="handover-saved"
            >
              <Text size="sm">{t('aid.bastNumber', { number: saved.number })}</Text>
            </Alert>
            <Group>
              <Button
                component="a"
                href={`/api/v1/aid/handovers/${saved.id}/bast.pdf`}
                target="_blank"
                leftSection={<IconFileTypePdf size={16} />}
                data-testid="bast-pdf"
              >
                {t('aid.openBast')}
              </Button>
              <Button variant="subtle" onClick={() => onClose(true)}>
                {t('common.close')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack gap="sm">
              <ErrorAlert error={photoError ?? record.error} />
              <TextInput
                type="date"
                label={t('aid.handedOverAt')}
                required
                {...form.getInputProps('handedOverAt')}
              />
              <TextInput label={t('aid.place')} {...form.getInputProps('place')} />
              <Textarea
                label={t('aid.legalBasis')}
                description={t('aid.legalBasisHelp')}
                autosize
                minRows={2}
                {...form.getInputProps('legalBasis')}
              />
              <TextInput label={t('aid.condition')} {...form.getInputProps('condition')} />
              <div>
                <Input.Label htmlFor="handover-photo" mb={4}>
                  {t('aid.photo')}
                </Input.Label>
                <input
                  ref={fileRef}
                  id="handover-photo"
                  type="file"
                  accept="image/*"
                  capture="environment"
                  onChange={(e) => void pickPhoto(e)}
                  style={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden' }}
                  data-testid="handover-photo"
                />
                <Group gap="sm" align="center">
                  <Button
                    variant="light"
                    leftSection={<IconCamera size={16} />}
                    onClick={() => fileRef.current?.click()}
                    loading={preparing}
                  >
                    {photo ? t('aid.retakePhoto') : t('aid.takePhoto')}
                  </Button>
                  {photoName && (
                    <Text size="xs" c="dimmed" className="break-anywhere">
                      {photoName}
                    </Text>
                  )}
                </Group>
                {preview && (
                  <Image
                    src={preview}
                    alt={t('aid.photoPreview')}
                    mt="xs"
                    h={160}
                    w="auto"
                    fit="contain"
                    radius="sm"
                  />
                )}
                <Text size="xs" c="dimmed" mt={4}>
                  {t('aid.photoHelp')}
                </Text>
              </div>
              <Group mt="xs">
                <Button
                  type="submit"
                  loading={record.isPending}
                  disabled={preparing}
                  data-testid="handover-submit"
                >
                  {t('aid.saveHandover')}
                </Button>
                <Button variant="subtle" onClick={() => onClose(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Modal>
  );
}
