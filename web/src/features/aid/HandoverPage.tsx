import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Image,
  Input,
  Loader,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconCamera, IconCheck, IconCloudUpload, IconFileTypePdf, IconWifiOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ApiError } from '../../lib/api';
import { formatNumber, formatRupiah, todayIso } from '../../lib/format';
import { type PhotoUpload, preparePhoto } from '../../lib/image';
import type { AidHandover } from '../../lib/types';
import { useOnline } from '../training/offline';
import {
  listPendingHandovers,
  onHandoverOutboxChange,
  type PendingHandover,
  queueHandover,
  syncHandovers,
} from './handover-outbox';
import { usePlannedOfBusinessQuery } from './queries';
import { SignaturePad } from './SignaturePad';

// Handover at the recipient's place, on a phone: the items planned for the business on one BAST,
// a photo, both signatures drawn on the screen, the place and (with consent) the GPS position.
// With no signal it waits on the phone and is sent when the signal returns.
export function HandoverPage() {
  const { t } = useTranslation('aid');
  const { businessId = '' } = useParams();
  const client = useQueryClient();
  const online = useOnline();
  const planned = usePlannedOfBusinessQuery(businessId);
  const items = planned.data?.items ?? [];
  const [chosen, setChosen] = useState<string[] | null>(null);
  const selected = chosen ?? items.map((a) => a.id);
  const [handedOverAt, setHandedOverAt] = useState(todayIso());
  const [place, setPlace] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [recipientSignature, setRecipientSignature] = useState<string | null>(null);
  const [officerSignature, setOfficerSignature] = useState<string | null>(null);
  const [photo, setPhoto] = useState<PhotoUpload | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [photoError, setPhotoError] = useState<ApiError | null>(null);
  const [consent, setConsent] = useState(false);
  const [location, setLocation] = useState<{ latitude: number; longitude: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<PendingHandover[]>([]);
  const [mine, setMine] = useState<string | null>(null);
  const [saved, setSaved] = useState<AidHandover | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    const all = await listPendingHandovers().catch(() => []);
    setWaiting(all.filter((h) => h.businessId === businessId));
  }, [businessId]);

  const sync = useCallback(async () => {
    const report = await syncHandovers();
    if (report.sent.length > 0) {
      for (const key of ['aid', 'businesses', 'reports']) void client.invalidateQueries({ queryKey: [key] });
    }
    const ours = report.sent.find((s) => s.item.clientKey === mine);
    if (ours) setSaved(ours.handover);
    await refresh();
  }, [client, mine, refresh]);

  useEffect(() => {
    void refresh();
    return onHandoverOutboxChange(() => void refresh());
  }, [refresh]);

  // Sent when the signal returns, and tried again now and then while this screen is open.
  useEffect(() => {
    if (!online) return;
    void sync();
    const timer = window.setInterval(() => void sync(), 15_000);
    return () => window.clearInterval(timer);
  }, [online, sync]);

  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const pickPhoto = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    setPhotoError(null);
    try {
      setPhoto(await preparePhoto(file));
      setPreview(URL.createObjectURL(file));
    } catch {
      setPhotoError(new ApiError(415, 'unsupported_media', file.type));
    }
  };

  const askLocation = (checked: boolean) => {
    setConsent(checked);
    setLocation(null);
    if (!checked || !('geolocation' in navigator)) return;
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (selected.length === 0) return setProblem(t('chooseItems'));
    if (!place.trim()) return setProblem(t('placeRequired'));
    if (!recipientSignature || !officerSignature) return setProblem(t('signaturesRequired'));
    const first = items.find((a) => a.id === selected[0]);
    const item = await queueHandover({
      businessId,
      label: `${first?.business.name ?? ''} · ${selected.length} ${t('itemsShort')}`,
      body: {
        allocationIds: selected,
        handedOverAt,
        place: place.trim(),
        legalBasis: legalBasis.trim() || null,
        condition: 'baik',
        photo,
        recipientSignature: { contentType: 'image/png', dataBase64: recipientSignature },
        officerSignature: { contentType: 'image/png', dataBase64: officerSignature },
        location: consent ? location : null,
      },
    });
    setMine(item.clientKey);
    const report = await syncHandovers();
    const ours = report.sent.find((s) => s.item.clientKey === item.clientKey);
    if (ours) {
      setSaved(ours.handover);
      for (const key of ['aid', 'businesses', 'reports']) void client.invalidateQueries({ queryKey: [key] });
    }
    await refresh();
  };

  const business = items[0]?.business;
  const ourWaiting = waiting.find((w) => w.clientKey === mine);

  return (
    <>
      <PageHeader
        title={t('handoverTitle')}
        subtitle={business ? `${business.name} · ${business.ownerName}` : undefined}
        crumbs={[{ label: t('aidCrumb'), to: '/aid' }]}
      />
      <Stack gap="md" maw={720}>
        {!online && (
          <Alert color="yellow" icon={<IconWifiOff size={18} />} data-testid="handover-offline">
            {t('offlineNote')}
          </Alert>
        )}
        {waiting.length > 0 && (
          <Alert
            color="blue"
            icon={<IconCloudUpload size={18} />}
            title={t('waitingTitle')}
            data-testid="handover-queued"
          >
            <Stack gap={4}>
              {waiting.map((w) => (
                <Text size="sm" key={w.clientKey}>
                  {w.label} · {w.body.handedOverAt}
                  {w.state === 'failed' && w.error
                    ? ` — ${t(`errors:${w.error.code}`, { defaultValue: w.error.message })}`
                    : ''}
                </Text>
              ))}
              <Group>
                <Button size="compact-sm" variant="light" onClick={() => void sync()} disabled={!online}>
                  {t('sendNow')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {saved ? (
          <Alert
            color="teal"
            icon={<IconCheck size={18} />}
            title={t('handoverSaved')}
            data-testid="handover-saved"
          >
            <Stack gap="xs">
              <Text size="sm">{t('bastNumber', { number: saved.number })}</Text>
              <Group>
                <Button
                  component="a"
                  href={`/api/v1/aid/handovers/${saved.id}/bast.pdf`}
                  target="_blank"
                  leftSection={<IconFileTypePdf size={16} />}
                  data-testid="bast-pdf"
                >
                  {t('openBast')}
                </Button>
                <Anchor component={Link} to="/aid">
                  {t('backToAid')}
                </Anchor>
              </Group>
            </Stack>
          </Alert>
        ) : ourWaiting ? null : (
          <form onSubmit={(e) => void submit(e)}>
            <Stack gap="md">
              <ErrorAlert error={planned.error ?? photoError} />
              {planned.isPending && <Loader size="sm" />}
              <Paper withBorder p="sm" radius="md">
                <Text fw={600} mb="xs">
                  {t('items')}
                </Text>
                {items.length === 0 && !planned.isPending ? (
                  <Text size="sm" c="dimmed">
                    {t('noPlanned')}
                  </Text>
                ) : (
                  <Stack gap="xs">
                    {items.map((a) => (
                      <Checkbox
                        key={a.id}
                        checked={selected.includes(a.id)}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setChosen(on ? [...selected, a.id] : selected.filter((id) => id !== a.id));
                        }}
                        label={`${a.stock.item} · ${formatNumber(a.quantity)} ${a.stock.unit} · ${formatRupiah(a.quantity * a.stock.unitValue)}`}
                        description={[a.stock.spec, `${a.sopd.name} ${a.stock.budgetYear}`]
                          .filter(Boolean)
                          .join(' · ')}
                      />
                    ))}
                  </Stack>
                )}
              </Paper>
              <TextInput
                type="date"
                label={t('handedOverAt')}
                required
                value={handedOverAt}
                onChange={(e) => setHandedOverAt(e.currentTarget.value)}
              />
              <TextInput
                label={t('place')}
                required
                value={place}
                onChange={(e) => setPlace(e.currentTarget.value)}
                data-testid="handover-place"
              />
              <Textarea
                label={t('legalBasis')}
                autosize
                minRows={2}
                value={legalBasis}
                onChange={(e) => setLegalBasis(e.currentTarget.value)}
              />
              <div>
                <Input.Label htmlFor="multi-handover-photo" mb={4}>
                  {t('photo')}
                </Input.Label>
                <input
                  ref={fileRef}
                  id="multi-handover-photo"
                  type="file"
                  accept="image/*"
                  capture="environment"
                  onChange={(e) => void pickPhoto(e)}
                  style={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden' }}
                  data-testid="multi-handover-photo"
                />
                <Button
                  variant="light"
                  leftSection={<IconCamera size={16} />}
                  onClick={() => fileRef.current?.click()}
                >
                  {photo ? t('retakePhoto') : t('takePhoto')}
                </Button>
                {preview && (
                  <Image src={preview} alt={t('photo')} mt="xs" h={140} w="auto" fit="contain" radius="sm" />
                )}
              </div>
              <Checkbox
                checked={consent}
                onChange={(e) => askLocation(e.currentTarget.checked)}
                label={t('gpsConsent')}
                description={
                  locating
                    ? t('locating')
                    : location
                      ? `${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}`
                      : t('gpsHelp')
                }
              />
              <SignaturePad
                label={t('recipientSignature')}
                value={recipientSignature}
                onChange={setRecipientSignature}
                testId="signature-recipient"
              />
              <SignaturePad
                label={t('officerSignature')}
                value={officerSignature}
                onChange={setOfficerSignature}
                testId="signature-officer"
              />
              {problem && (
                <Alert color="red" data-testid="handover-problem">
                  {problem}
                </Alert>
              )}
              <Group>
                <Button type="submit" data-testid="multi-handover-submit" disabled={items.length === 0}>
                  {t('saveHandover')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </>
  );
}
