import { Group, Paper, Select, SimpleGrid, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { formatNumber } from '../../lib/format';
import { type OutcomeFilters, type OutcomeMapReport, useOutcomeMapQuery } from './queries';

// The choropleth of kecamatan on the outcomes dashboard, drawn as SVG from the boundaries the
// office uploaded (nothing is fetched from elsewhere), with the same numbers in a table beside
// it for screen readers and small screens. Not shown at all when no map was uploaded.

type Feature = NonNullable<OutcomeMapReport['map']>['features'][number];
type Figures = NonNullable<Feature['figures']>;
type Position = [number, number];

const measures = [
  'participants',
  'graduates',
  'newEntrepreneurs',
  'newEntrepreneurRate',
  'activeRate',
] as const;
type Measure = (typeof measures)[number];

// A rate is a share of its denominator (null when the denominator is 0: no colour, "–").
function figureValue(f: Figures | null, measure: Measure): number | null {
  if (!f) return null;
  if (measure === 'newEntrepreneurRate') return f.graduates > 0 ? f.newEntrepreneurs / f.graduates : null;
  if (measure === 'activeRate') return f.answered > 0 ? f.activeAfterFollowUp / f.answered : null;
  return f[measure];
}

const isRate = (m: Measure) => m === 'newEntrepreneurRate' || m === 'activeRate';
const shades = ['#edf8e9', '#c7e9c0', '#a1d99b', '#74c476', '#31a354', '#006d2c'];
const noData = '#e9ecef';

function polygonsOf(f: Feature): Position[][][] {
  const c = f.geometry.coordinates as unknown;
  return f.geometry.type === 'Polygon' ? [c as Position[][]] : (c as Position[][][]);
}

// Equirectangular, with longitudes shortened by the cosine of the middle latitude: true enough in
// shape for the kecamatan of one kabupaten/kota, which spans a degree or two.
function project(features: Feature[], width: number) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features)
    for (const polygon of polygonsOf(f))
      for (const [lon, lat] of polygon[0] ?? []) {
        minX = Math.min(minX, lon);
        maxX = Math.max(maxX, lon);
        minY = Math.min(minY, lat);
        maxY = Math.max(maxY, lat);
      }
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = width / spanX;
  const height = Math.max(1, Math.round(spanY * scale));
  const point = ([lon, lat]: Position) =>
    `${((lon - minX) * k * scale).toFixed(1)} ${((maxY - lat) * scale).toFixed(1)}`;
  const pathOf = (f: Feature) =>
    polygonsOf(f)
      .flatMap((polygon) => polygon.map((ring) => `M${ring.map(point).join('L')}Z`))
      .join('');
  return { height, pathOf };
}

export function KecamatanMap({ filters }: { filters: OutcomeFilters }) {
  const { t } = useTranslation('outcomes');
  const report = useOutcomeMapQuery(filters);
  const [measure, setMeasure] = useState<Measure>('participants');
  const map = report.data?.map;
  if (!map || map.features.length === 0) return null;
  const width = 600;
  const { height, pathOf } = project(map.features, width);
  const values = map.features.map((f) => figureValue(f.figures, measure));
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const shade = (v: number | null) =>
    v === null
      ? noData
      : max === 0
        ? shades[0]!
        : shades[Math.min(shades.length - 1, Math.floor((v / max) * shades.length))]!;
  const show = (v: number | null) =>
    v === null ? '–' : isRate(measure) ? `${Math.round(v * 1000) / 10}%` : formatNumber(v);
  const rows = map.features
    .map((f, i) => ({ code: f.code, name: f.name, value: values[i] ?? null, figures: f.figures }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const label = t(`dashboard.map.measure.${measure}`);
  const columns: Column<(typeof rows)[number]>[] = [
    { key: 'name', header: t('dashboard.kecamatan'), primary: true, render: (r) => r.name },
    { key: 'value', header: label, align: 'right', render: (r) => show(r.value) },
  ];
  return (
    <Paper withBorder p="sm" radius="md" data-testid="kecamatan-map">
      <Group justify="space-between" align="end" mb="xs">
        <Title order={3} fz="md">
          {t('dashboard.map.title')}
        </Title>
        <Select
          aria-label={t('dashboard.map.figure')}
          data={measures.map((m) => ({ value: m, label: t(`dashboard.map.measure.${m}`) }))}
          value={measure}
          onChange={(v) =>
            setMeasure((measures as readonly string[]).includes(v ?? '') ? (v as Measure) : 'participants')
          }
          allowDeselect={false}
          w={220}
          data-testid="kecamatan-map-figure"
        />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <div>
          <svg
            viewBox={`-2 -2 ${width + 4} ${height + 4}`}
            width="100%"
            style={{ maxHeight: 420, display: 'block' }}
            aria-hidden="true"
            data-testid="kecamatan-map-svg"
          >
            {map.features.map((f, i) => (
              <path
                key={f.code}
                d={pathOf(f)}
                fill={shade(values[i] ?? null)}
                fillRule="evenodd"
                stroke="#495057"
                strokeWidth={1}
                vectorEffect="non-scaling-stroke"
                data-code={f.code}
              >
                <title>{`${f.name}: ${show(values[i] ?? null)}`}</title>
              </path>
            ))}
          </svg>
          <Group gap={4} mt="xs" aria-hidden="true" wrap="wrap">
            <Text size="xs" c="dimmed">
              {show(0)}
            </Text>
            {shades.map((s) => (
              <span key={s} style={{ width: 18, height: 10, background: s, display: 'inline-block' }} />
            ))}
            <Text size="xs" c="dimmed">
              {show(max)}
            </Text>
          </Group>
        </div>
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(r) => r.code}
          caption={`${t('dashboard.map.title')}: ${label}`}
          // two short columns: the default minimum width (640 px) would push the figure out of
          // sight in the half of the card the table has beside the map
          minWidth={0}
        />
      </SimpleGrid>
    </Paper>
  );
}
