// A hand-made map of Kota Palangka Raya's five kecamatan for tests: five squares in a row near
// the city (not its real boundaries; no boundary data ships with Pulih). Bukit Batu is a
// MultiPolygon of two squares, the others Polygons.

export const fixtureKecamatan = [
  { code: '62.71.01', name: 'Pahandut' },
  { code: '62.71.02', name: 'Bukit Batu' },
  { code: '62.71.03', name: 'Jekan Raya' },
  { code: '62.71.04', name: 'Sabangau' },
  { code: '62.71.05', name: 'Rakumpit' },
] as const;

const square = (lon: number, lat: number, size = 0.1) => [
  [
    [lon, lat],
    [lon + size, lat],
    [lon + size, lat + size],
    [lon, lat + size],
    [lon, lat],
  ],
];

export function kecamatanMapFixture() {
  return {
    type: 'FeatureCollection',
    features: fixtureKecamatan.map((k, i) => ({
      type: 'Feature',
      properties: { KODE_KEC: k.code.replace(/\./g, ''), NAMA_KEC: `Kecamatan ${k.name.toUpperCase()}` },
      geometry:
        k.code === '62.71.02'
          ? {
              type: 'MultiPolygon',
              coordinates: [square(113.8 + i * 0.1, -2.2), square(113.8 + i * 0.1, -2.1, 0.05)],
            }
          : { type: 'Polygon', coordinates: square(113.8 + i * 0.1, -2.2) },
    })),
  };
}
