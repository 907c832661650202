import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { AppError } from '../../lib/errors.ts';
import { type Language, pickLanguage, translator } from '../../lib/i18n.ts';
import { PublicPage, sendPublicPage } from '../../lib/public-page.tsx';
import { ratingBody } from './programs.schema.ts';
import { rateByToken, ratingByToken } from './ratings.service.ts';

// /status/:token/nilai: the participant rates the training (1–5 and a remark) from the status
// link. A plain HTML form that works without JavaScript; posting answers with the page again
// (post/redirect/get). Like the status page, never indexed, cached or sent as a Referer.

const tokenPattern = /^[A-Za-z0-9_-]{16,64}$/;

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.5;font-size:16px}
a{color:#7a4a1c}
main{max-width:560px;margin:0 auto;padding:12px 16px}
h1{font-size:1.35rem;margin:.5rem 0}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:12px 0}
form{display:grid;gap:14px}
fieldset{border:1px solid #e8dccb;border-radius:8px;padding:8px 12px;margin:0}
legend,label{font-weight:600}
.stars{display:flex;flex-wrap:wrap;gap:8px}
.stars label{display:flex;gap:6px;align-items:center;font-weight:400;padding:8px 10px;border:1px solid #e8dccb;border-radius:8px}
.stars input{width:22px;height:22px}
textarea{font:inherit;width:100%;min-height:96px;padding:10px;border:1px solid #c9b59b;border-radius:8px}
button{font:inherit;font-weight:700;padding:14px;border:0;border-radius:8px;width:100%;background:#5b3512;color:#fff}
.ok{background:#d9f2e3;color:#14532d;border-radius:8px;padding:12px}
.alert{background:#fdecea;color:#7a1f12;border-radius:8px;padding:12px}`;

type Found = NonNullable<Awaited<ReturnType<typeof ratingByToken>>>;

function Page(props: {
  lang: Language;
  t: TFunction;
  token: string;
  found: Found | null;
  saved: boolean;
  error: string | null;
}): ReactNode {
  const { lang, t, token, found, saved, error } = props;
  const status = `/status/${encodeURIComponent(token)}${lang === 'en' ? '?lang=en' : ''}`;
  const action = `/status/${encodeURIComponent(token)}/nilai${lang === 'en' ? '?lang=en' : ''}`;
  return (
    <PublicPage lang={lang} title={t('title')} robots="noindex, nofollow" referrer="no-referrer" css={css}>
      <main>
        <h1>{t('title')}</h1>
        {!found ? (
          <div className="card">
            <p>{t('notFound')}</p>
          </div>
        ) : (
          <>
            <div className="card">
              <strong>{found.program.name}</strong>
            </div>
            {saved ? <p className="ok">{t('saved')}</p> : null}
            {error ? (
              <p className="alert">{t(`errors.${error}`, { defaultValue: t('errors.invalid') })}</p>
            ) : null}
            {!found.mayRate ? (
              <div className="card">
                <p>{t('notOpen')}</p>
              </div>
            ) : (
              <form method="post" action={action} className="card">
                <fieldset>
                  <legend>{t('question')}</legend>
                  <div className="stars">
                    {[1, 2, 3, 4, 5].map((n) => (
                      <label key={n}>
                        <input
                          type="radio"
                          name="rating"
                          value={n}
                          required
                          defaultChecked={found.rating?.rating === n}
                        />
                        {t(`scale.${n}`)}
                      </label>
                    ))}
                  </div>
                </fieldset>
                <div>
                  <label htmlFor="remark">{t('remark')}</label>
                  <textarea
                    id="remark"
                    name="remark"
                    maxLength={1000}
                    defaultValue={found.rating?.remark ?? ''}
                  />
                </div>
                <button type="submit">{found.rating ? t('change') : t('submit')}</button>
              </form>
            )}
          </>
        )}
        <p>
          <a href={status}>{t('back')}</a>
        </p>
      </main>
    </PublicPage>
  );
}

function send(reply: FastifyReply, status: number, element: ReactNode) {
  return sendPublicPage(reply, status, element, {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex',
  });
}

const langOf = (request: FastifyRequest) =>
  pickLanguage((request.query as { lang?: string } | undefined)?.lang, request.headers['accept-language']);

export const ratingPages: FastifyPluginAsync = async (app) => {
  await app.register(formbody);

  app.get<{ Params: { token: string }; Querystring: { lang?: string; saved?: string } }>(
    '/status/:token/nilai',
    { schema: { hide: true } },
    async (request, reply) => {
      const lang = langOf(request);
      const t = translator(lang, 'rating');
      const { token } = request.params;
      const found = tokenPattern.test(token) ? await ratingByToken(app.ctx, token) : null;
      return send(
        reply,
        found ? 200 : 404,
        <Page
          lang={lang}
          t={t}
          token={token}
          found={found}
          saved={request.query.saved === '1'}
          error={null}
        />,
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/status/:token/nilai',
    { schema: { hide: true } },
    async (request, reply) => {
      const lang = langOf(request);
      const t = translator(lang, 'rating');
      const { token } = request.params;
      const found = tokenPattern.test(token) ? await ratingByToken(app.ctx, token) : null;
      if (!found)
        return send(
          reply,
          404,
          <Page lang={lang} t={t} token={token} found={null} saved={false} error={null} />,
        );
      const parsed = ratingBody.safeParse(request.body ?? {});
      if (!parsed.success)
        return send(
          reply,
          400,
          <Page lang={lang} t={t} token={token} found={found} saved={false} error="invalid" />,
        );
      try {
        await rateByToken(app.ctx, token, parsed.data);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return send(
          reply,
          error.status,
          <Page lang={lang} t={t} token={token} found={found} saved={false} error={error.code} />,
        );
      }
      const back = `/status/${encodeURIComponent(token)}/nilai?saved=1${lang === 'en' ? '&lang=en' : ''}`;
      return reply.header('cache-control', 'no-store').redirect(back, 303);
    },
  );
};
