import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactNode } from 'react';
import { parseRupiah, salesChannels } from '../../domain/outcomes.ts';
import { AppError } from '../../lib/errors.ts';
import {
  formatPageDate,
  type PageNav,
  PublicFormPage,
  pageNavOf,
  sendPublicPage,
  withLang,
} from '../../lib/public-page.tsx';
import { getOfficeTimeZone } from '../settings/settings.service.ts';
import { answerByToken, followUpByToken, followUpPath, type PublicFollowUp } from './follow-ups.service.ts';
import { type PublicFollowUpAnswer, publicFollowUpAnswer } from './outcomes.schema.ts';

// /tindak-lanjut/:token: the graduate tells how the business is doing (DOMAIN.md's questions),
// without logging in. A plain HTML form for a cheap phone without JavaScript, Indonesian first
// (?lang=en); posting answers with the page again (post/redirect/get). Never indexed, cached or
// sent as a Referer: the link is the key.

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.5;font-size:16px}
a{color:#7a4a1c}
header,main,footer{max-width:560px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb}
.brand{font-weight:800;font-size:1.25rem;color:#5b3512}
h1{font-size:1.35rem;margin:.5rem 0}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:12px 0}
.muted{color:#6b5b4b;font-size:.9rem;margin:0}
form{display:grid;gap:16px}
fieldset{border:1px solid #e8dccb;border-radius:8px;padding:8px 12px;margin:0}
legend,label.q{font-weight:600;display:block;margin-bottom:4px}
.hint{font-size:.85rem;color:#6b5b4b;margin:4px 0 0}
.opt{display:flex;gap:8px;align-items:center;padding:6px 0}
.opt input{width:22px;height:22px;flex:none}
input[type=text],input[type=number],textarea{font:inherit;font-size:1.05rem;padding:12px;border:1px solid #c9b59b;border-radius:8px;width:100%;background:#fff;color:inherit}
textarea{min-height:6em}
button{font:inherit;font-weight:700;padding:14px;border:0;border-radius:8px;width:100%;background:#5b3512;color:#fff}
.ok{background:#d9f2e3;color:#14532d;border-radius:8px;padding:12px}
.alert{background:#fdecea;color:#7a1f12;border-radius:8px;padding:12px}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}`;

// What the form shows: the values as typed (strings), so a refused answer comes back as it was.
type FormValues = {
  salesLastMonth: string;
  workers: string;
  stillProducing: string;
  channels: string[];
  aidInUse: string;
  aidNotUsedReason: string;
  remark: string;
};

const emptyValues: FormValues = {
  salesLastMonth: '',
  workers: '',
  stillProducing: '',
  channels: [],
  aidInUse: '',
  aidNotUsedReason: '',
  remark: '',
};

function valuesOf(found: PublicFollowUp): FormValues {
  const a = found.answer;
  if (!a) return emptyValues;
  return {
    salesLastMonth: String(a.salesLastMonth),
    workers: String(a.workers),
    stillProducing: a.stillProducing ? 'yes' : 'no',
    channels: a.channels,
    aidInUse: a.aidInUse === null ? 'none' : a.aidInUse ? 'yes' : 'no',
    aidNotUsedReason: a.aidNotUsedReason ?? '',
    remark: a.remark ?? '',
  };
}

function Document(props: { nav: PageNav; path: string; children: ReactNode }) {
  const { nav } = props;
  const texts = {
    platform: nav.t('public.platform'),
    language: nav.t('public.language'),
    footer: nav.t('public.footer'),
  };
  return <PublicFormPage {...props} title={nav.t('public.title')} texts={texts} css={css} />;
}

function Radio(props: { name: string; value: string; checked: boolean; label: string; required?: boolean }) {
  return (
    <label className="opt">
      <input
        type="radio"
        name={props.name}
        value={props.value}
        defaultChecked={props.checked}
        required={props.required}
      />
      {props.label}
    </label>
  );
}

function FormPage(props: {
  nav: PageNav;
  token: string;
  found: PublicFollowUp;
  values: FormValues;
  saved: boolean;
  error: string | null;
  timeZone: string;
}) {
  const { nav, token, found, values, saved, error, timeZone } = props;
  const { t } = nav;
  return (
    <>
      <h1>{t('public.title')}</h1>
      <p className="muted">{t('public.lead', { program: found.programName })}</p>
      <div className="card">
        <p className="muted">{t('public.business')}</p>
        <strong>{found.businessName}</strong>
        <p className="muted">{t('public.due', { date: formatPageDate(nav.lang, found.dueAt) })}</p>
      </div>
      {saved ? (
        <p className="ok" role="status">
          {t('public.saved')}
        </p>
      ) : null}
      {!saved && found.answer ? (
        <p className="muted">
          {t('public.answered', { date: formatPageDate(nav.lang, found.answer.answeredAt, timeZone) })}
        </p>
      ) : null}
      {error ? (
        <p className="alert" role="alert">
          {t(`public.errors.${error}`, { defaultValue: t('public.errors.default') })}
        </p>
      ) : null}
      <form method="post" action={withLang(nav, followUpPath(token))} className="card">
        <div>
          <label className="q" htmlFor="salesLastMonth">
            {t('public.sales')}
          </label>
          <input
            id="salesLastMonth"
            name="salesLastMonth"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            maxLength={24}
            required
            defaultValue={values.salesLastMonth}
            aria-describedby="sales-hint"
          />
          <p className="hint" id="sales-hint">
            {t('public.salesHint')}
          </p>
        </div>
        {error === 'follow_up_sales_implausible' ? (
          <label className="opt">
            <input type="checkbox" name="confirmed" value="1" />
            {t('public.confirm')}
          </label>
        ) : null}
        <div>
          <label className="q" htmlFor="workers">
            {t('public.workers')}
          </label>
          <input
            id="workers"
            name="workers"
            type="number"
            inputMode="numeric"
            min={0}
            max={100000}
            required
            defaultValue={values.workers}
          />
        </div>
        <fieldset>
          <legend>{t('public.producing')}</legend>
          <Radio
            name="stillProducing"
            value="yes"
            checked={values.stillProducing === 'yes'}
            label={t('public.yes')}
            required
          />
          <Radio
            name="stillProducing"
            value="no"
            checked={values.stillProducing === 'no'}
            label={t('public.no')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('public.channels')}</legend>
          {salesChannels.map((c) => (
            <label className="opt" key={c}>
              <input type="checkbox" name="channels" value={c} defaultChecked={values.channels.includes(c)} />
              {t(`public.channel.${c}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('public.aid')}</legend>
          <Radio name="aidInUse" value="yes" checked={values.aidInUse === 'yes'} label={t('public.aidYes')} />
          <Radio name="aidInUse" value="no" checked={values.aidInUse === 'no'} label={t('public.aidNo')} />
          <Radio
            name="aidInUse"
            value="none"
            checked={values.aidInUse === 'none'}
            label={t('public.aidNone')}
          />
          <label className="q" htmlFor="aidNotUsedReason">
            {t('public.aidReason')}
          </label>
          <input
            id="aidNotUsedReason"
            name="aidNotUsedReason"
            type="text"
            maxLength={500}
            defaultValue={values.aidNotUsedReason}
          />
        </fieldset>
        <div>
          <label className="q" htmlFor="remark">
            {t('public.remark')}
          </label>
          <textarea id="remark" name="remark" maxLength={2000} defaultValue={values.remark} />
        </div>
        <button type="submit">{found.answer ? t('public.submitAgain') : t('public.submit')}</button>
      </form>
    </>
  );
}

function send(reply: FastifyReply, status: number, element: ReactNode) {
  return sendPublicPage(reply, status, element, {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex',
  });
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const list = (value: unknown) =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string',
  );

function readForm(body: Record<string, unknown>): FormValues {
  return {
    salesLastMonth: text(body.salesLastMonth, 24),
    workers: text(body.workers, 8),
    stillProducing: text(body.stillProducing, 4),
    channels: list(body.channels).slice(0, salesChannels.length),
    aidInUse: text(body.aidInUse, 4),
    aidNotUsedReason: text(body.aidNotUsedReason, 500),
    remark: text(body.remark, 2000),
  };
}

// The form's strings as the answer the service takes, or null when they are not one.
function toAnswer(values: FormValues, confirmed: boolean): PublicFollowUpAnswer | null {
  const sales = parseRupiah(values.salesLastMonth);
  const workers = /^[0-9]{1,6}$/.test(values.workers) ? Number(values.workers) : null;
  if (sales === null || workers === null) return null;
  if (values.stillProducing !== 'yes' && values.stillProducing !== 'no') return null;
  const parsed = publicFollowUpAnswer.safeParse({
    salesLastMonth: sales,
    workers,
    stillProducing: values.stillProducing === 'yes',
    channels: values.channels,
    aidInUse: values.aidInUse === 'yes' ? true : values.aidInUse === 'no' ? false : null,
    aidNotUsedReason: values.aidNotUsedReason || undefined,
    remark: values.remark || undefined,
    confirmed,
  });
  return parsed.success ? parsed.data : null;
}

export const followUpPages: FastifyPluginAsync = async (app) => {
  await app.register(formbody);
  const navOf = (request: FastifyRequest) => pageNavOf(request, 'outcomes');

  const notFound = (reply: FastifyReply, nav: PageNav, token: string) =>
    send(
      reply,
      404,
      <Document nav={nav} path={followUpPath(token)}>
        <div className="card">
          <h1>{nav.t('public.notFound')}</h1>
          <p>{nav.t('public.notFoundBody')}</p>
        </div>
      </Document>,
    );

  const page = async (
    reply: FastifyReply,
    nav: PageNav,
    token: string,
    found: PublicFollowUp,
    values: FormValues,
    options: { saved?: boolean; error?: string | null; status?: number } = {},
  ) => {
    const timeZone = await getOfficeTimeZone(app.ctx);
    return send(
      reply,
      options.status ?? 200,
      <Document nav={nav} path={followUpPath(token)}>
        <FormPage
          nav={nav}
          token={token}
          found={found}
          values={values}
          saved={options.saved ?? false}
          error={options.error ?? null}
          timeZone={timeZone}
        />
      </Document>,
    );
  };

  app.get<{ Params: { token: string }; Querystring: { saved?: string } }>(
    '/tindak-lanjut/:token',
    { schema: { hide: true } },
    async (request, reply) => {
      const nav = navOf(request);
      const { token } = request.params;
      const found = await followUpByToken(app.ctx, token);
      if (!found) return notFound(reply, nav, token);
      return page(reply, nav, token, found, valuesOf(found), { saved: request.query.saved === '1' });
    },
  );

  app.post<{ Params: { token: string } }>(
    '/tindak-lanjut/:token',
    { schema: { hide: true } },
    async (request, reply) => {
      const nav = navOf(request);
      const { token } = request.params;
      const found = await followUpByToken(app.ctx, token);
      if (!found) return notFound(reply, nav, token);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = readForm(body);
      const answer = toAnswer(values, text(body.confirmed, 4) === '1');
      if (!answer) return page(reply, nav, token, found, values, { error: 'validation_failed', status: 400 });
      try {
        await answerByToken(app.ctx, token, answer);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return page(reply, nav, token, found, values, { error: error.code, status: error.status });
      }
      const path = followUpPath(token);
      const back = nav.explicitLang ? `${path}?saved=1&lang=${nav.explicitLang}` : `${path}?saved=1`;
      return reply.header('cache-control', 'no-store').redirect(back, 303);
    },
  );
};
