// The founding scenario's last step: the city promotes the graduates' products at a bazaar, and
// their sales are on record, so that the storefronts, the event page and the sales figures (per
// business, per event, the cohort before and after the training) have something to show. Through
// the API like the rest of the demo; idempotent (a second run finds the event and stops).

type Call = <T>(
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
) => Promise<{ status: number; body: T }>;
type ExpectOk = <T>(
  r: { status: number; body: T },
  what: string,
  allowed?: string[],
) => { status: number; body: T };

export const demoEventName = 'Bazar UMKM Hari Jadi Kota Palangka Raya';

export async function loadMarketDemo(
  call: Call,
  expectOk: ExpectOk,
  dinasToken: string,
  graduateIds: string[],
  log: (line: string) => void,
) {
  const events = await call<{ items: { name: string }[] }>(dinasToken, 'GET', '/events?limit=200');
  if (events.body.items?.some((e) => e.name === demoEventName)) return;
  const event = expectOk(
    await call<{ id: string }>(dinasToken, 'POST', '/events', {
      name: demoEventName,
      kind: 'bazaar',
      startDate: '2020-10-17',
      endDate: '2020-10-18',
      venue: 'Bundaran Besar Palangka Raya',
      description: 'Bazar produk rotan lulusan pelatihan Kecamatan Bukit Batu dan Rakumpit.',
    }),
    'event',
  ).body;
  const sellers = graduateIds.slice(0, 12);
  for (const [i, businessId] of sellers.entries()) {
    expectOk(
      await call(dinasToken, 'POST', `/events/${event.id}/participants`, {
        businessId,
        booth: `A-${String(i + 1).padStart(2, '0')}`,
      }),
      'event participant',
      ['already_participating'],
    );
  }
  // Deterministic amounts: a few sales at the bazaar, and sales before and after the training.
  for (const [i, businessId] of sellers.entries()) {
    const sales = [
      { date: '2020-10-17', amount: (150 + ((i * 53) % 400)) * 1000, channel: 'acara', eventId: event.id },
      { date: '2020-10-18', amount: (90 + ((i * 31) % 250)) * 1000, channel: 'acara', eventId: event.id },
      {
        date: '2020-11-20',
        amount: (200 + ((i * 71) % 600)) * 1000,
        channel: i % 2 ? 'media_sosial' : 'langsung',
      },
      ...(i % 3 === 0
        ? [{ date: '2020-06-15', amount: (50 + ((i * 17) % 100)) * 1000, channel: 'pasar' }]
        : []),
    ];
    for (const sale of sales) {
      expectOk(await call(dinasToken, 'POST', `/businesses/${businessId}/sales`, sale), 'sale');
    }
  }
  log(`Promotion: ${demoEventName}, ${sellers.length} booths, sales on record`);
}
