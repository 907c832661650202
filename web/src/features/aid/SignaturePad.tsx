import { Button, Group, Input, Paper, Text } from '@mantine/core';
import { IconEraser } from '@tabler/icons-react';
import { type PointerEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

// A signature drawn with a finger (or mouse) on a canvas, given back as a PNG's base64 (no
// data: prefix, as the API takes it), or null while nothing is drawn.
export function SignaturePad({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string | null;
  onChange: (png: string | null) => void;
  testId: string;
}) {
  const { t } = useTranslation('aid');
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const drawn = useRef(false);

  // The canvas keeps its drawing at the device's pixel density; a cleared value clears it.
  useEffect(() => {
    const c = canvas.current;
    if (!c || value !== null) return;
    const ratio = window.devicePixelRatio || 1;
    c.width = c.clientWidth * ratio;
    c.height = c.clientHeight * ratio;
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.lineWidth = 2.2;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#10214a';
    drawn.current = false;
  }, [value]);

  const point = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };

  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture?.(e.pointerId);
    last.current = point(e);
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!last.current) return;
    const g = e.currentTarget.getContext('2d');
    const p = point(e);
    if (g) {
      g.beginPath();
      g.moveTo(last.current.x, last.current.y);
      g.lineTo(p.x, p.y);
      g.stroke();
      drawn.current = true;
    }
    last.current = p;
  };
  const up = () => {
    if (!last.current) return;
    last.current = null;
    const c = canvas.current;
    if (c && drawn.current) {
      const url = c.toDataURL('image/png');
      onChange(url.slice(url.indexOf(',') + 1));
    }
  };

  return (
    <div>
      <Input.Label mb={4}>{label}</Input.Label>
      <Paper withBorder radius="sm" p={0} style={{ background: '#fff' }}>
        <canvas
          ref={canvas}
          aria-label={label}
          data-testid={testId}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerLeave={up}
          onPointerCancel={up}
          style={{ width: '100%', height: 140, display: 'block', touchAction: 'none', cursor: 'crosshair' }}
        />
      </Paper>
      <Group justify="space-between" mt={4}>
        <Text size="xs" c={value ? 'teal' : 'dimmed'}>
          {value ? t('signed') : t('signHere')}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconEraser size={14} />}
          onClick={() => onChange(null)}
          disabled={!value}
        >
          {t('clearSignature')}
        </Button>
      </Group>
    </div>
  );
}
