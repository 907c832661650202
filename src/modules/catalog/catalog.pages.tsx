import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { productCategories } from '../../domain/enums.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { type Language, pickLanguage, translator } from '../../lib/i18n.ts';
import { mediaContentType, mediaNamePattern } from '../../lib/media-store.ts';
import { PublicPage, sendPublicPage } from '../../lib/public-page.tsx';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { type CatalogFacets, type PublicProduct, priceBandKeys } from './catalog.schema.ts';
import {
  getMediaFile,
  getPublicProduct,
  listPublicProducts,
  productPagePath,
  publicMediaUrl,
} from './catalog.service.ts';

// Public pages for buyers who open a link from WhatsApp on a cheap phone: plain HTML that
// works without JavaScript, small inline CSS, lazy images with their size, and Open Graph
// tags so that a shared link shows a preview.

const pageSize = 24;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.45}
a{color:#7a4a1c}
header,main,footer{max-width:960px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb}
.brand{font-weight:800;font-size:1.25rem;text-decoration:none;color:#5b3512}
h1{font-size:1.4rem;margin:.5rem 0}
.lead{margin:0 0 8px;color:#5c4b3b}
.search{display:grid;gap:8px;margin:12px 0 16px}
.suggest{background:#fff3d6;padding:8px 12px;border-radius:8px;margin:0 0 12px}
.search label{font-size:.875rem;font-weight:600}
input,select,button{font:inherit;padding:10px;border:1px solid #c9b59b;border-radius:8px;width:100%;background:#fff;color:inherit}
button{background:#5b3512;color:#fff;border:0;font-weight:700}
.grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(155px,1fr));gap:12px}
.card{background:#fff;border-radius:12px;overflow:hidden;display:flex;flex-direction:column;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card a.item{text-decoration:none;color:inherit}
.photo,.nophoto{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;background:#e8dccb}
.nophoto{display:flex;align-items:center;justify-content:center;color:#6b5b4b;font-size:.875rem}
.body{padding:8px 10px 10px;display:flex;flex-direction:column;gap:4px;flex:1}
.card h2{font-size:1rem;margin:0}
.price{font-weight:800;margin:0;font-size:1.05rem}
.unit{font-weight:400;color:#6b5b4b;font-size:.875rem}
.muted{color:#6b5b4b;font-size:.875rem;margin:0}
.wa{display:block;text-align:center;background:#075e54;color:#fff;font-weight:700;text-decoration:none;padding:12px 10px;border-radius:8px;margin-top:auto}
.pager{display:flex;justify-content:space-between;flex-wrap:wrap;gap:12px;margin:20px 0}
.empty{background:#fff;padding:24px;border-radius:12px;text-align:center}
.product{background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.product .body{padding:12px 16px 16px;gap:8px}
.product h1{margin:0}
.desc{white-space:pre-line;margin:0}
.thumbs{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:8px}
.thumbs img{display:block;width:96px;height:72px;object-fit:cover;border-radius:6px}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:4px 12px}
dt{color:#6b5b4b}
dd{margin:0}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}
@media (min-width:640px){.search{grid-template-columns:2fr 1fr 1fr 1fr auto;align-items:end}.product{display:grid;grid-template-columns:1fr 1fr}}`;

export function formatRupiah(amount: number): string {
  return `Rp${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 }).format(amount)}`;
}

// Links keep ?lang= only when the visitor chose a language explicitly.
type Nav = { lang: Language; explicitLang: Language | null; t: TFunction };

function href(nav: Nav, path: string, params: Record<string, string | undefined> = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  if (nav.explicitLang) query.set('lang', nav.explicitLang);
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

function Document(props: {
  nav: Nav;
  title: string;
  description: string;
  switchHref: string;
  head?: ReactNode;
  children: ReactNode;
}) {
  const { nav, title, description, switchHref, head, children } = props;
  const { t } = nav;
  return (
    <PublicPage
      lang={nav.lang}
      title={title}
      description={description}
      themeColor="#5b3512"
      head={head}
      css={css}
    >
      <header className="top">
        <a className="brand" href={href(nav, '/katalog')}>
          {t('platform')}
        </a>
        <a href={switchHref} hrefLang={nav.lang === 'id' ? 'en' : 'id'}>
          {t('language')}
        </a>
      </header>
      <main>{children}</main>
      <footer>
        <p>
          <strong>{t('platform')}</strong> · {t('credit')}
        </p>
        <p>
          <a href={href(nav, '/transparansi')}>{translator(nav.lang, 'transparency')('nav.transparency')}</a>
        </p>
      </footer>
    </PublicPage>
  );
}

function Place({ nav, product }: { nav: Nav; product: PublicProduct }) {
  const { business } = product;
  const kecamatan = business.kecamatanName ? nav.t('kecamatan', { name: business.kecamatanName }) : null;
  return <>{[business.kelurahanName, kecamatan].filter(Boolean).join(', ')}</>;
}

function Price({ nav, product }: { nav: Nav; product: PublicProduct }) {
  return (
    <p className="price">
      {formatRupiah(product.price)}
      {product.unit ? <span className="unit"> {nav.t('perUnit', { unit: product.unit })}</span> : null}
    </p>
  );
}

function OrderLink({ nav, product }: { nav: Nav; product: PublicProduct }) {
  return product.whatsappUrl ? (
    <a className="wa" href={product.whatsappUrl} rel="noopener" target="_blank">
      {nav.t('order')}
    </a>
  ) : (
    <p className="muted">{nav.t('noWhatsapp')}</p>
  );
}

function ProductCard({ nav, product, eager }: { nav: Nav; product: PublicProduct; eager: boolean }) {
  const { t } = nav;
  return (
    <li className="card">
      <a className="item" href={href(nav, productPagePath(product.id))}>
        {product.photoUrl ? (
          <img
            className="photo"
            src={product.photos[0]?.cardUrl ?? product.photoUrl}
            srcSet={
              product.photos[0]
                ? `${product.photos[0].cardUrl} 320w, ${product.photos[0].cardUrl2x} 640w`
                : undefined
            }
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
        <h2>
          <a className="item" href={href(nav, productPagePath(product.id))}>
            {product.name}
          </a>
        </h2>
        <Price nav={nav} product={product} />
        <p className="muted">
          {product.business.name}
          <br />
          <Place nav={nav} product={product} />
        </p>
        <OrderLink nav={nav} product={product} />
      </div>
    </li>
  );
}

type ListView = {
  q: string;
  kecamatan: string;
  category: string;
  price: string;
  cursor: string | undefined;
  items: PublicProduct[];
  nextCursor: string | null;
  suggestion: string | null;
  facets: CatalogFacets;
};

function FacetSelect(props: {
  id: string;
  label: string;
  all: string;
  value: string;
  options: { value: string; label: string; count: number; atLeast?: true | undefined }[];
  // "120+": a search's counts stop at a limit (CatalogFacets), and then say so.
  countText: (count: number, atLeast: boolean) => string;
}) {
  // A chosen value stays offered even when the other filters leave it no match.
  const options =
    props.options.some((o) => o.value === props.value) || !props.value
      ? props.options
      : [...props.options, { value: props.value, label: props.value, count: 0 }];
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} name={props.id} defaultValue={props.value}>
        <option value="">{props.all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {`${o.label} (${props.countText(o.count, Boolean(o.atLeast))})`}
          </option>
        ))}
      </select>
    </div>
  );
}

function CatalogPage({ nav, view }: { nav: Nav; view: ListView }) {
  const { t } = nav;
  const filters = {
    q: view.q || undefined,
    kecamatan: view.kecamatan || undefined,
    category: view.category || undefined,
    price: view.price || undefined,
  };
  const filtered = Boolean(view.q || view.kecamatan || view.category || view.price);
  const countText = (count: number, atLeast: boolean) =>
    atLeast ? t('search.countAtLeast', { count }) : String(count);
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="lead">{t('tagline')}</p>
      <form className="search" method="get" action="/katalog">
        <div>
          <label htmlFor="q">{t('search.label')}</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={view.q}
            placeholder={t('search.placeholder')}
            maxLength={100}
          />
        </div>
        <FacetSelect
          id="kecamatan"
          label={t('search.kecamatan')}
          all={t('search.allKecamatan')}
          value={view.kecamatan}
          options={view.facets.kecamatan.map((f) => ({
            value: f.value,
            label: f.label ?? f.value,
            count: f.count,
            atLeast: f.atLeast,
          }))}
          countText={countText}
        />
        <FacetSelect
          id="category"
          label={t('search.category')}
          all={t('search.allCategories')}
          value={view.category}
          options={view.facets.category.map((f) => ({
            value: f.value,
            label: t(`categories.${f.value}`),
            count: f.count,
            atLeast: f.atLeast,
          }))}
          countText={countText}
        />
        <FacetSelect
          id="price"
          label={t('search.price')}
          all={t('search.allPrices')}
          value={view.price}
          options={view.facets.price.map((f) => ({
            value: f.value,
            label: t(`prices.${f.value}`),
            count: f.count,
            atLeast: f.atLeast,
          }))}
          countText={countText}
        />
        {nav.explicitLang ? <input type="hidden" name="lang" value={nav.explicitLang} /> : null}
        <button type="submit">{t('search.button')}</button>
      </form>
      {view.suggestion ? (
        <p className="suggest">
          {t('didYouMean')}{' '}
          <a href={href(nav, '/katalog', { ...filters, q: view.suggestion })}>
            <strong>{view.suggestion}</strong>
          </a>
        </p>
      ) : null}
      {view.q ? (
        <p className="muted">
          {t('search.resultsFor', { q: view.q })} · <a href={href(nav, '/katalog')}>{t('search.reset')}</a>
        </p>
      ) : null}
      {view.items.length > 0 ? (
        <ul className="grid">
          {view.items.map((product, i) => (
            <ProductCard key={product.id} nav={nav} product={product} eager={i < 2} />
          ))}
        </ul>
      ) : (
        <div className="empty">
          <h2>{filtered ? t('empty.title') : t('empty.none')}</h2>
          {filtered ? (
            <p>
              {t('empty.body')} <a href={href(nav, '/katalog')}>{t('search.reset')}</a>
            </p>
          ) : null}
        </div>
      )}
      <nav className="pager">
        {view.cursor ? <a href={href(nav, '/katalog', filters)}>{t('firstPage')}</a> : <span />}
        {view.nextCursor ? (
          <a href={href(nav, '/katalog', { ...filters, cursor: view.nextCursor })} rel="next">
            {t('next')}
          </a>
        ) : null}
      </nav>
    </>
  );
}

function ProductPage({
  nav,
  product,
  storefrontUrl,
}: {
  nav: Nav;
  product: PublicProduct;
  storefrontUrl: string | null;
}) {
  const { t } = nav;
  return (
    <>
      <p>
        <a href={href(nav, '/katalog')}>{t('backToCatalog')}</a>
      </p>
      <article className="product">
        {product.photoUrl ? (
          <img
            className="photo"
            src={product.photos[0]?.cardUrl2x ?? product.photoUrl}
            srcSet={
              product.photos[0]
                ? `${product.photos[0].cardUrl} 320w, ${product.photos[0].cardUrl2x} 640w, ${product.photos[0].largeUrl} 1200w`
                : undefined
            }
            sizes="(min-width: 640px) 480px, 100vw"
            alt={t('photoAlt', { product: product.name })}
            width={640}
            height={480}
            fetchPriority="high"
          />
        ) : (
          <span className="nophoto">{t('noPhoto')}</span>
        )}
        <div className="body">
          <h1>{product.name}</h1>
          <Price nav={nav} product={product} />
          {product.description ? <p className="desc">{product.description}</p> : null}
          <dl>
            <dt>{t('seller')}</dt>
            <dd>
              {storefrontUrl ? <a href={storefrontUrl}>{product.business.name}</a> : product.business.name}
            </dd>
            <dt>{t('location')}</dt>
            <dd>
              <Place nav={nav} product={product} />
            </dd>
          </dl>
          <OrderLink nav={nav} product={product} />
          {product.photos.length > 1 ? (
            <ul className="thumbs">
              {product.photos.slice(1).map((photo) => (
                <li key={photo.key}>
                  <a href={photo.largeUrl}>
                    <img
                      src={photo.thumbnailUrl}
                      alt={t('photoAlt', { product: product.name })}
                      width={160}
                      height={120}
                      loading="lazy"
                      decoding="async"
                    />
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
          <p className="muted">{t('share')}</p>
        </div>
      </article>
    </>
  );
}

function OpenGraph({ nav, product }: { nav: Nav; product: PublicProduct }) {
  const { t } = nav;
  const description = ogDescription(nav, product);
  // 1200×630: the size WhatsApp and Facebook show as a large preview.
  const image = product.photos[0]?.ogImageUrl ?? null;
  return (
    <>
      <link rel="canonical" href={product.pageUrl} />
      <meta property="og:site_name" content={t('platform')} />
      <meta property="og:type" content="product" />
      <meta property="og:title" content={product.name} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={product.pageUrl} />
      <meta property="og:locale" content={nav.lang === 'id' ? 'id_ID' : 'en_US'} />
      {image ? <meta property="og:image" content={image} /> : null}
      {image?.startsWith('https:') ? <meta property="og:image:secure_url" content={image} /> : null}
      {image ? <meta property="og:image:type" content="image/jpeg" /> : null}
      {image ? <meta property="og:image:width" content="1200" /> : null}
      {image ? <meta property="og:image:height" content="630" /> : null}
      {image ? <meta property="og:image:alt" content={t('photoAlt', { product: product.name })} /> : null}
      <meta property="product:price:amount" content={String(product.price)} />
      <meta property="product:price:currency" content="IDR" />
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={product.name} />
      <meta name="twitter:description" content={description} />
      {image ? <meta name="twitter:image" content={image} /> : null}
      <script
        type="application/ld+json"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON-LD, escaped by jsonLd()
        dangerouslySetInnerHTML={{ __html: jsonLd(productJsonLd(product)) }}
      />
    </>
  );
}

// Inside <script>, "</" and U+2028/9 must not appear as such.
export const jsonLd = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function productJsonLd(product: PublicProduct) {
  const place = [product.business.kelurahanName, product.business.kecamatanName].filter(Boolean).join(', ');
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.name,
    ...(product.description ? { description: product.description } : {}),
    ...(product.photos.length > 0 ? { image: product.photos.map((p) => p.largeUrl) } : {}),
    url: product.pageUrl,
    category: product.category,
    brand: { '@type': 'Brand', name: product.business.name },
    offers: {
      '@type': 'Offer',
      price: product.price,
      priceCurrency: 'IDR',
      availability: 'https://schema.org/InStock',
      url: product.pageUrl,
      seller: {
        '@type': 'LocalBusiness',
        name: product.business.name,
        ...(place
          ? { address: { '@type': 'PostalAddress', addressLocality: place, addressCountry: 'ID' } }
          : {}),
      },
    },
  };
}

function ogDescription(nav: Nav, product: PublicProduct) {
  const values = { price: formatRupiah(product.price), business: product.business.name };
  return product.business.kecamatanName
    ? nav.t('ogDescriptionPlace', { ...values, kecamatan: product.business.kecamatanName })
    : nav.t('ogDescription', values);
}

function NotFoundPage({ nav }: { nav: Nav }) {
  return (
    <div className="empty">
      <h1>{nav.t('notFound.title')}</h1>
      <p>{nav.t('notFound.body')}</p>
      <p>
        <a href={href(nav, '/katalog')}>{nav.t('backToCatalog')}</a>
      </p>
    </div>
  );
}

function send(reply: FastifyReply, status: number, element: ReactNode) {
  return sendPublicPage(reply, status, element, {
    'cache-control': status === 200 ? 'public, max-age=120' : 'no-cache',
  });
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

const oneOf = (value: string, allowed: readonly string[]) => (allowed.includes(value) ? value : '');

function navOf(request: FastifyRequest): Nav {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const explicitLang = query.lang === 'id' || query.lang === 'en' ? query.lang : null;
  const lang = pickLanguage(query.lang, request.headers['accept-language']);
  return { lang, explicitLang, t: translator(lang, 'catalog') };
}

function switchLanguage(nav: Nav, path: string, params: Record<string, string | undefined> = {}) {
  return href({ ...nav, explicitLang: nav.lang === 'id' ? 'en' : 'id' }, path, params);
}

// The seller's storefront is another module that depends on this one: the server passes its
// address maker in, so the product page can link to it without a circle.
export type CatalogPagesOptions = {
  storefrontUrlOf?: (ctx: AppContext, businessId: string, baseUrl: string) => Promise<string | null>;
};

export const catalogPages: FastifyPluginAsync<CatalogPagesOptions> = async (app, options) => {
  app.get('/katalog', { schema: { hide: true } }, async (request, reply) => {
    const nav = navOf(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const q = text(query.q, 100);
    const kecamatan = text(query.kecamatan, 20);
    const category = oneOf(text(query.category, 20), productCategories);
    const price = oneOf(text(query.price, 20), priceBandKeys);
    let cursor = text(query.cursor, 500) || undefined;
    const baseUrl = publicBaseUrl(app.ctx, request);
    const load = () =>
      listPublicProducts(
        app.ctx,
        { q, kecamatan, category, price, facets: 'true' },
        { limit: pageSize, cursor },
        baseUrl,
      );
    let result: Awaited<ReturnType<typeof load>>;
    try {
      result = await load();
    } catch (error) {
      // A mangled cursor from a forwarded link: show the first page rather than an error.
      if (!(error instanceof AppError && error.code === 'validation_failed')) throw error;
      cursor = undefined;
      result = await load();
    }
    const view: ListView = {
      q,
      kecamatan,
      category,
      price,
      cursor,
      items: result.items,
      nextCursor: result.nextCursor,
      suggestion: result.suggestion,
      facets: result.facets ?? { kecamatan: [], category: [], price: [] },
    };
    const params = {
      q: q || undefined,
      kecamatan: kecamatan || undefined,
      category: category || undefined,
      price: price || undefined,
      cursor,
    };
    // Search results are not pages of their own for a search engine; the catalogue is.
    const indexable = !q && !kecamatan && !category && !price && !cursor;
    return send(
      reply,
      200,
      <Document
        nav={nav}
        title={`${nav.t('title')} · ${nav.t('platform')}`}
        description={nav.t('tagline')}
        switchHref={switchLanguage(nav, '/katalog', params)}
        head={
          <>
            <link rel="canonical" href={`${baseUrl}/katalog`} />
            {indexable ? null : <meta name="robots" content="noindex, follow" />}
            <meta property="og:site_name" content={nav.t('platform')} />
            <meta property="og:type" content="website" />
            <meta property="og:title" content={nav.t('title')} />
            <meta property="og:description" content={nav.t('tagline')} />
            <meta property="og:url" content={`${baseUrl}/katalog`} />
          </>
        }
      >
        <CatalogPage nav={nav} view={view} />
      </Document>,
    );
  });

  app.get<{ Params: { id: string } }>('/katalog/:id', { schema: { hide: true } }, async (request, reply) => {
    const nav = navOf(request);
    const { id } = request.params;
    const baseUrl = publicBaseUrl(app.ctx, request);
    let product: PublicProduct | null = null;
    if (uuidPattern.test(id)) {
      try {
        product = await getPublicProduct(app.ctx, id, baseUrl);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'not_found')) throw error;
      }
    }
    if (!product) {
      return send(
        reply,
        404,
        <Document
          nav={nav}
          title={`${nav.t('notFound.title')} · ${nav.t('platform')}`}
          description={nav.t('notFound.body')}
          switchHref={switchLanguage(nav, `/katalog/${encodeURIComponent(id)}`)}
          head={<meta name="robots" content="noindex" />}
        >
          <NotFoundPage nav={nav} />
        </Document>,
      );
    }
    return send(
      reply,
      200,
      <Document
        nav={nav}
        title={`${product.name} · ${nav.t('platform')}`}
        description={ogDescription(nav, product)}
        switchHref={switchLanguage(nav, productPagePath(product.id))}
        head={<OpenGraph nav={nav} product={product} />}
      >
        <ProductPage
          nav={nav}
          product={product}
          storefrontUrl={
            options.storefrontUrlOf
              ? await options.storefrontUrlOf(app.ctx, product.business.id, baseUrl)
              : null
          }
        />
      </Document>,
    );
  });

  // Photos and their variants: content-named, so a name always means the same bytes, and
  // both the answer and a redirect may be cached for a year. Proxied from the store (a folder
  // or a private bucket), or redirected to the bucket's public address when one is configured
  // (docs/architecture.md, "Media").
  app.get<{ Params: { name: string } }>(
    '/media/:name',
    { schema: { hide: true } },
    async (request, reply) => {
      const { name } = request.params;
      if (!mediaNamePattern.test(name))
        return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      const elsewhere = publicMediaUrl(app.ctx, name);
      if (elsewhere) return reply.redirect(elsewhere, 301);
      const etag = `"${name}"`;
      // The name is the version: a client that has it needs no read of the store.
      if (request.headers['if-none-match'] === etag) return reply.header('etag', etag).status(304).send();
      const bytes = await getMediaFile(app.ctx, name);
      if (!bytes)
        return reply
          .status(404)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send('Not found');
      return reply
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .type(mediaContentType(name))
        .send(bytes);
    },
  );

  app.get('/robots.txt', { schema: { hide: true } }, async (request, reply) => {
    const baseUrl = publicBaseUrl(app.ctx, request);
    const lines = [
      'User-agent: *',
      'Allow: /',
      // The API, the office's app and the forms that carry personal data are not for search engines.
      // Certificates name their holder: verifiable by link, not listed by a search engine.
      'Disallow: /api/',
      'Disallow: /daftar/',
      'Disallow: /pengaduan',
      'Disallow: /tindak-lanjut/',
      'Disallow: /sertifikat/',
      '',
      `Sitemap: ${baseUrl}/sitemap.xml`,
      '',
    ];
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(lines.join('\n'));
  });
};
