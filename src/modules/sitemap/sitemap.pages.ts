import type { FastifyPluginAsync } from 'fastify';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { listListedProductPages } from '../catalog/catalog.service.ts';
import { listPublicEventPages } from '../events/events.service.ts';
import { listListedStorefrontPages } from '../storefronts/storefronts.service.ts';

// /sitemap.xml: the catalogue, its listed products, the storefronts of the businesses that have
// listed products, and the promotion events' pages. It composes three modules that depend on
// one another (events → storefronts → catalog), so it lives in none of them. A sitemap holds at
// most 50,000 addresses: the shares below keep it under that.
const limits = { products: 40_000, storefronts: 9_000, events: 900 };

const xml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const entry = (url: string, updatedAt: Date | null) =>
  `<url><loc>${xml(url)}</loc>${updatedAt ? `<lastmod>${updatedAt.toISOString()}</lastmod>` : ''}</url>`;

export const sitemapPages: FastifyPluginAsync = async (app) => {
  app.get('/sitemap.xml', { schema: { hide: true } }, async (request, reply) => {
    const baseUrl = publicBaseUrl(app.ctx, request);
    const productPages = await listListedProductPages(app.ctx, baseUrl, limits.products);
    const storefrontPages = await listListedStorefrontPages(app.ctx, baseUrl, limits.storefronts);
    const eventPages = await listPublicEventPages(app.ctx, baseUrl, limits.events);
    const urls = [
      entry(`${baseUrl}/katalog`, productPages[0]?.updatedAt ?? null),
      ...productPages.map((p) => entry(p.url, p.updatedAt)),
      ...storefrontPages.map((p) => entry(p.url, p.updatedAt)),
      ...eventPages.map((p) => entry(p.url, p.updatedAt)),
    ];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=600')
      .send(body);
  });
};
