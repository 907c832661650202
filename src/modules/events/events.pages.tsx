import type { FastifyPluginAsync } from 'fastify';
import { calendarDay, longDate } from '../../lib/pdf.ts';
import { pageNavOf, sendPublicPage, withLang } from '../../lib/public-page.tsx';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { JsonLd, MarketDocument } from '../storefronts/market-page.tsx';
import { ProductCard } from '../storefronts/storefronts.pages.tsx';
import { eventPagePath, getPublicEvent, type PublicEvent } from './events.service.ts';

// /acara/{id}: a promotion event for the public — when and where, and who sells what at which
// booth, each business linked to its storefront. Plain HTML, no JavaScript needed.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dates = (start: string, end: string) =>
  start === end
    ? longDate.format(calendarDay(start))
    : `${longDate.format(calendarDay(start))} – ${longDate.format(calendarDay(end))}`;

function eventJsonLd(view: PublicEvent) {
  const { event } = view;
  return {
    '@context': 'https://schema.org',
    '@type': 'SaleEvent',
    name: event.name,
    url: view.url,
    startDate: event.startDate,
    endDate: event.endDate,
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location: { '@type': 'Place', name: event.venue, address: event.venue },
    ...(event.description ? { description: event.description } : {}),
  };
}

export const eventPages: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { id: string } }>('/acara/:id', { schema: { hide: true } }, async (request, reply) => {
    const nav = pageNavOf(request, 'market');
    const { t } = nav;
    const { id } = request.params;
    const path = eventPagePath(encodeURIComponent(id));
    const baseUrl = publicBaseUrl(app.ctx, request);
    const view = uuidPattern.test(id) ? await getPublicEvent(app.ctx, id, baseUrl) : null;
    if (!view) {
      return sendPublicPage(
        reply,
        404,
        <MarketDocument
          nav={nav}
          title={t('event.notFound')}
          description={t('event.notFound')}
          path={path}
          robots="noindex"
        >
          <div className="empty">
            <h1>{t('event.notFound')}</h1>
            <p>
              <a href={withLang(nav, '/katalog')}>{t('backToCatalog')}</a>
            </p>
          </div>
        </MarketDocument>,
        { 'cache-control': 'no-cache' },
      );
    }
    const { event, participants } = view;
    const when = dates(event.startDate, event.endDate);
    const description = t('event.description', {
      kind: t(`event.kinds.${event.kind}`),
      when,
      venue: event.venue,
      count: participants.length,
    });
    return sendPublicPage(
      reply,
      200,
      <MarketDocument
        nav={nav}
        title={event.name}
        description={description}
        path={path}
        head={
          <>
            <link rel="canonical" href={view.url} />
            <meta property="og:site_name" content={t('platform')} />
            <meta property="og:type" content="website" />
            <meta property="og:title" content={event.name} />
            <meta property="og:description" content={description} />
            <meta property="og:url" content={view.url} />
            <meta property="og:locale" content={nav.lang === 'id' ? 'id_ID' : 'en_US'} />
            <JsonLd data={eventJsonLd(view)} />
          </>
        }
      >
        <p className="muted">{t(`event.kinds.${event.kind}`)}</p>
        <h1>{event.name}</h1>
        <dl className="facts">
          <dt>{t('event.when')}</dt>
          <dd>{when}</dd>
          <dt>{t('event.where')}</dt>
          <dd>{event.venue}</dd>
        </dl>
        {event.description ? <p className="lead">{event.description}</p> : null}
        <h2>{t('event.participants', { count: participants.length })}</h2>
        {participants.length === 0 ? (
          <div className="empty">
            <p>{t('event.noParticipants')}</p>
          </div>
        ) : null}
        {participants.map((p) => (
          <section className="participant" key={p.businessId}>
            <h2>
              {p.booth ? <span className="booth">{t('event.booth', { booth: p.booth })}</span> : null}
              <a href={withLang(nav, new URL(p.storefrontUrl).pathname)}>{p.businessName}</a>
            </h2>
            {p.kecamatanName ? <p className="muted">{t('kecamatan', { name: p.kecamatanName })}</p> : null}
            {p.products.length > 0 ? (
              <ul className="grid">
                {p.products.map((product) => (
                  <ProductCard
                    key={product.id}
                    nav={nav}
                    product={product}
                    orderUrl={product.whatsappUrl ? `${p.storefrontUrl}/pesan/${product.id}` : null}
                  />
                ))}
              </ul>
            ) : (
              <p className="muted">{t('storefront.noProducts')}</p>
            )}
          </section>
        ))}
      </MarketDocument>,
      { 'cache-control': 'public, max-age=120' },
    );
  });
};
