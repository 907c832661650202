import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { StorefrontPlatform } from '../../domain/storefront.ts';
import { type PageNav, pageNavOf, sendPublicPage, withLang } from '../../lib/public-page.tsx';
import { publicBaseUrl } from '../../lib/public-url.ts';
import type { PublicProduct } from '../catalog/catalog.schema.ts';
import { formatRupiah, JsonLd, MarketDocument } from './market-page.tsx';
import {
  getPublicStorefront,
  type PublicStorefront,
  storefrontPath,
  takeOrderClick,
} from './storefronts.service.ts';

// /toko/{slug}: a business's storefront for buyers who open a shared link on a phone; works
// without JavaScript. Order buttons go through /toko/{slug}/pesan/{productId}, which counts the
// click (per product and day, nothing about the buyer) and sends the buyer on to WhatsApp.

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const platformOrder: StorefrontPlatform[] = ['tokopedia', 'shopee', 'tiktokShop', 'instagram'];

export function placeOf(nav: PageNav, b: { kelurahanName: string | null; kecamatanName: string | null }) {
  const kecamatan = b.kecamatanName ? nav.t('kecamatan', { name: b.kecamatanName }) : null;
  return [b.kelurahanName, kecamatan].filter(Boolean).join(', ');
}

// `eager`: a card in the first screen (its photo may be the page's largest paint); the others
// load as the buyer scrolls.
export function ProductCard(props: {
  nav: PageNav;
  product: PublicProduct;
  orderUrl: string | null;
  eager?: boolean;
}) {
  const { nav, product, orderUrl, eager = false } = props;
  const photo = product.photos[0];
  const { t } = nav;
  const page = withLang(nav, `/katalog/${product.id}`);
  return (
    <li className="card">
      <a className="item" href={page}>
        {product.photoUrl ? (
          <img
            className="photo"
            src={photo?.cardUrl ?? product.photoUrl}
            srcSet={photo ? `${photo.cardUrl} 320w, ${photo.cardUrl2x} 640w` : undefined}
            sizes="(min-width: 960px) 300px, (min-width: 640px) 33vw, 50vw"
            alt={t('photoAlt', { product: product.name })}
            width={320}
            height={240}
            loading={eager ? 'eager' : 'lazy'}
            decoding="async"
          />
        ) : (
          <span className="nophoto">{t('noPhoto')}</span>
        )}
      </a>
      <div className="body">
        <h3>
          <a className="item" href={page}>
            {product.name}
          </a>
        </h3>
        <p className="price">
          {formatRupiah(product.price)}
          {product.unit ? <span className="unit"> {t('perUnit', { unit: product.unit })}</span> : null}
        </p>
        {orderUrl ? (
          <a className="wa" href={orderUrl} rel="nofollow noopener" target="_blank">
            {t('order')}
          </a>
        ) : (
          <p className="muted">{t('noWhatsapp')}</p>
        )}
      </div>
    </li>
  );
}

function StorefrontView({ nav, store }: { nav: PageNav; store: PublicStorefront }) {
  const { t } = nav;
  const place = placeOf(nav, store.business);
  const links = platformOrder.flatMap((p) => (store.links[p] ? [[p, store.links[p]] as const] : []));
  return (
    <>
      <h1>{store.business.name}</h1>
      {place ? <p className="lead">{place}</p> : null}
      {links.length > 0 ? (
        <>
          <h2>{t('storefront.alsoAt')}</h2>
          <ul className="links">
            {links.map(([platform, url]) => (
              <li key={platform}>
                <a href={url} rel="noopener nofollow" target="_blank">
                  {t(`storefront.platforms.${platform}`)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {store.trainings.length > 0 ? (
        <>
          <h2>{t('storefront.trainings')}</h2>
          <ul className="badges">
            {store.trainings.map((training) => (
              <li key={training.certificateCode}>
                <a
                  className="badge"
                  href={withLang(nav, `/sertifikat/${encodeURIComponent(training.certificateCode)}`)}
                >
                  <strong>✓ {t('storefront.verified')}</strong> · {training.programName}
                  <br />
                  <span className="muted">
                    {t('storefront.certificate', { code: training.certificateCode })}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('storefront.products')}</h2>
      {store.products.length > 0 ? (
        <ul className="grid">
          {store.products.map((p, i) => (
            <ProductCard key={p.id} nav={nav} product={p} orderUrl={p.orderUrl} eager={i < 2} />
          ))}
        </ul>
      ) : (
        <div className="empty">
          <p>{t('storefront.noProducts')}</p>
        </div>
      )}
    </>
  );
}

// schema.org LocalBusiness with its products as offers, for search engines.
function storefrontJsonLd(nav: PageNav, store: PublicStorefront, url: string) {
  const locality = placeOf(nav, store.business);
  return {
    '@context': 'https://schema.org',
    '@type': 'LocalBusiness',
    '@id': url,
    name: store.business.name,
    url,
    address: {
      '@type': 'PostalAddress',
      ...(locality ? { addressLocality: locality } : {}),
      addressCountry: 'ID',
    },
    ...(store.products[0]?.photoUrl ? { image: store.products[0].photoUrl } : {}),
    sameAs: Object.values(store.links),
    makesOffer: store.products.map((p) => ({
      '@type': 'Offer',
      price: p.price,
      priceCurrency: 'IDR',
      url: p.pageUrl,
      itemOffered: {
        '@type': 'Product',
        name: p.name,
        url: p.pageUrl,
        ...(p.photoUrl ? { image: p.photoUrl } : {}),
      },
    })),
  };
}

function notFound(reply: FastifyReply, nav: PageNav, path: string) {
  return sendPublicPage(
    reply,
    404,
    <MarketDocument
      nav={nav}
      title={nav.t('storefront.notFound')}
      description={nav.t('storefront.notFound')}
      path={path}
      robots="noindex"
    >
      <div className="empty">
        <h1>{nav.t('storefront.notFound')}</h1>
        <p>
          <a href={withLang(nav, '/katalog')}>{nav.t('backToCatalog')}</a>
        </p>
      </div>
    </MarketDocument>,
    { 'cache-control': 'no-cache' },
  );
}

export const storefrontPages: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { slug: string } }>('/toko/:slug', { schema: { hide: true } }, async (request, reply) => {
    const nav = pageNavOf(request, 'market');
    const { slug } = request.params;
    const path = storefrontPath(encodeURIComponent(slug));
    const baseUrl = publicBaseUrl(app.ctx, request);
    const store = slugPattern.test(slug) ? await getPublicStorefront(app.ctx, slug, baseUrl) : null;
    if (!store) return notFound(reply, nav, path);
    const url = `${baseUrl}${storefrontPath(store.slug)}`;
    const place = placeOf(nav, store.business);
    const description = place
      ? nav.t('storefront.descriptionPlace', {
          business: store.business.name,
          place,
          count: store.products.length,
        })
      : nav.t('storefront.description', { business: store.business.name, count: store.products.length });
    const image = store.products.find((p) => p.photoUrl)?.photoUrl ?? null;
    return sendPublicPage(
      reply,
      200,
      <MarketDocument
        nav={nav}
        title={store.business.name}
        description={description}
        path={path}
        head={
          <>
            <link rel="canonical" href={url} />
            <meta property="og:site_name" content={nav.t('platform')} />
            <meta property="og:type" content="website" />
            <meta property="og:title" content={store.business.name} />
            <meta property="og:description" content={description} />
            <meta property="og:url" content={url} />
            <meta property="og:locale" content={nav.lang === 'id' ? 'id_ID' : 'en_US'} />
            {image ? <meta property="og:image" content={image} /> : null}
            <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
            <JsonLd data={storefrontJsonLd(nav, store, url)} />
          </>
        }
      >
        <StorefrontView nav={nav} store={store} />
      </MarketDocument>,
      { 'cache-control': 'public, max-age=120' },
    );
  });

  // Counts, then redirects; never cached, so that every click reaches the counter.
  app.get<{ Params: { slug: string; productId: string } }>(
    '/toko/:slug/pesan/:productId',
    { schema: { hide: true } },
    async (request, reply) => {
      const { slug, productId } = request.params;
      const baseUrl = publicBaseUrl(app.ctx, request);
      const target =
        slugPattern.test(slug) && uuidPattern.test(productId)
          ? await takeOrderClick(app.ctx, slug, productId, baseUrl)
          : null;
      if (!target)
        return notFound(reply, pageNavOf(request, 'market'), storefrontPath(encodeURIComponent(slug)));
      return reply
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .header('referrer-policy', 'no-referrer')
        .redirect(target, 302);
    },
  );
};
