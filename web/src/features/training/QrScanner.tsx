import { Alert, Box, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCameraOff, IconCircleCheck, IconInfoCircle, IconX } from '@tabler/icons-react';
import jsQR from 'jsqr';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type ScanOutcome = { tone: 'success' | 'info' | 'error'; title: string; detail?: string };

type Camera =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'unavailable'; reason: 'denied' | 'missing' | 'insecure' | 'other' };

// Frames are scaled down before decoding: a card held at arm's length reads fine at this
// width, and a cheap phone keeps up.
const frameWidth = 640;
const scanEveryMs = 200;
// The same card held in front of the camera is read many times a second.
const sameCodeQuietMs = 3000;

function cameraReason(error: unknown): 'denied' | 'missing' | 'other' {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')
    return 'missing';
  return 'other';
}

// A short beep and a buzz, so the officer knows without looking; a low double one for a problem.
export function useScanFeedback() {
  const audio = useRef<AudioContext | null>(null);
  const prepare = useCallback(() => {
    // Sound may only start from a tap; the context made here serves the later scans.
    if (!audio.current && typeof AudioContext === 'function') {
      try {
        audio.current = new AudioContext();
      } catch {
        audio.current = null;
      }
    }
  }, []);
  const signal = useCallback((tone: ScanOutcome['tone']) => {
    navigator.vibrate?.(tone === 'error' ? [90, 60, 90] : 60);
    const context = audio.current;
    if (!context) return;
    const beep = (frequency: number, at: number) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(context.currentTime + at);
      oscillator.stop(context.currentTime + at + 0.12);
    };
    if (tone === 'error') {
      beep(330, 0);
      beep(330, 0.18);
    } else beep(tone === 'success' ? 1320 : 880, 0);
  }, []);
  useEffect(() => () => void audio.current?.close().catch(() => undefined), []);
  return { prepare, signal };
}

export function QrScanner({
  opened,
  onClose,
  onCode,
  signal,
}: {
  opened: boolean;
  onClose: () => void;
  onCode: (text: string) => Promise<ScanOutcome>;
  signal: (tone: ScanOutcome['tone']) => void;
}) {
  const { t } = useTranslation('attendance');
  const phone = useMediaQuery('(max-width: 48em)');
  // The modal mounts its content after opening: the camera starts once the video element exists.
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [camera, setCamera] = useState<Camera>({ state: 'starting' });
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [manual, setManual] = useState('');
  const busy = useRef(false);
  const last = useRef<{ text: string; at: number } | null>(null);

  const handle = useCallback(
    async (text: string) => {
      if (busy.current) return;
      busy.current = true;
      try {
        const result = await onCode(text);
        setOutcome(result);
        signal(result.tone);
        return result;
      } finally {
        busy.current = false;
      }
    },
    [onCode, signal],
  );

  // The camera keeps running while the page re-renders around it.
  const latest = useRef(handle);
  latest.current = handle;

  useEffect(() => {
    if (!opened || !video) return;
    setOutcome(null);
    setCamera({ state: 'starting' });
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    const tick = () => {
      const v = video;
      if (!context || v.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || v.videoWidth === 0) return;
      const scale = Math.min(1, frameWidth / v.videoWidth);
      canvas.width = Math.round(v.videoWidth * scale);
      canvas.height = Math.round(v.videoHeight * scale);
      context.drawImage(v, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
      if (!code?.data) return;
      const now = Date.now();
      if (last.current && last.current.text === code.data && now - last.current.at < sameCodeQuietMs) return;
      last.current = { text: code.data, at: now };
      void latest.current(code.data);
    };

    const start = async () => {
      if (!window.isSecureContext) return setCamera({ state: 'unavailable', reason: 'insecure' });
      if (!navigator.mediaDevices?.getUserMedia)
        return setCamera({ state: 'unavailable', reason: 'missing' });
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' } },
          audio: false,
        });
        if (stopped) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        video.srcObject = stream;
        await video.play();
        setCamera({ state: 'running' });
        timer = window.setInterval(tick, scanEveryMs);
      } catch (error) {
        if (!stopped) setCamera({ state: 'unavailable', reason: cameraReason(error) });
      }
    };
    void start();
    return () => {
      stopped = true;
      window.clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
      video.srcObject = null;
    };
  }, [opened, video]);

  const submitManual = async (event: FormEvent) => {
    event.preventDefault();
    if (!manual.trim()) return;
    const result = await handle(manual);
    if (result && result.tone !== 'error') setManual('');
  };

  const color = outcome?.tone === 'success' ? 'teal' : outcome?.tone === 'info' ? 'blue' : 'red';
  const icon =
    outcome?.tone === 'success' ? (
      <IconCircleCheck size={22} />
    ) : outcome?.tone === 'info' ? (
      <IconInfoCircle size={22} />
    ) : (
      <IconX size={22} />
    );

  return (
    <Modal opened={opened} onClose={onClose} title={t('scan.title')} fullScreen={phone} size="lg">
      <Stack gap="sm">
        <Box
          pos="relative"
          bg="dark.8"
          style={{
            borderRadius: 'var(--mantine-radius-md)',
            overflow: 'hidden',
            aspectRatio: '4 / 3',
            display: camera.state === 'unavailable' ? 'none' : undefined,
          }}
        >
          <video
            ref={setVideo}
            playsInline
            muted
            style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }}
          />
          <Text
            pos="absolute"
            bottom={8}
            left={0}
            right={0}
            ta="center"
            size="sm"
            c="white"
            style={{ textShadow: '0 1px 2px #000' }}
          >
            {camera.state === 'starting' ? t('scan.starting') : t('scan.aim')}
          </Text>
        </Box>
        {camera.state === 'unavailable' && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconCameraOff size={18} />}
            data-testid="camera-unavailable"
          >
            {t('scan.cameraUnavailable', { reason: t(`scan.reason.${camera.reason}`) })}
          </Alert>
        )}
        {outcome && (
          <Alert
            color={color}
            variant="filled"
            icon={icon}
            data-testid="scan-result"
            data-tone={outcome.tone}
          >
            <Text fw={700} size="lg" className="break-anywhere">
              {outcome.title}
            </Text>
            {outcome.detail && <Text size="sm">{outcome.detail}</Text>}
          </Alert>
        )}
        <form onSubmit={(event) => void submitManual(event)}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={t('scan.manualLabel')}
              description={t('scan.manualHint')}
              value={manual}
              onChange={(event) => setManual(event.currentTarget.value)}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              data-testid="manual-code"
            />
            <Button type="submit" data-testid="manual-submit">
              {t('scan.manualSubmit')}
            </Button>
          </Group>
        </form>
        <Button variant="default" size="md" onClick={onClose}>
          {t('scan.close')}
        </Button>
      </Stack>
    </Modal>
  );
}
