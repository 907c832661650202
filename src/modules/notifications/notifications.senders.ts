import type { Transporter } from 'nodemailer';
import type { ChannelConfig } from './notifications.config.ts';
import type { NotificationChannel } from './notifications.schema.ts';

// One message as the sender sees it: the outbox row, rendered.
export type OutgoingMessage = {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  subject: string;
  body: string;
  language: string;
  whatsappName: string;
  // WhatsApp body parameters, in the template's variable order
  parameters: string[];
};

// A provider's refusal. `retryable`: a 5xx, 429 or a network failure (try again later); else
// the message itself is wrong (a bad number, an unapproved template): fail it now.
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const timeoutMs = 15_000;

async function postJson(url: string, headers: Record<string, string>, body: unknown) {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new SendError(`network: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  const text = await res.text();
  if (!res.ok) {
    throw new SendError(`HTTP ${res.status}: ${text.slice(0, 300)}`, res.status >= 500 || res.status === 429);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

// WhatsApp Business Cloud API: a template message (Meta requires one outside the 24-hour
// customer-service window), POST {url}/{phone-number-id}/messages. The API has no idempotency
// key: a crash between its answer and our mark can send a message twice (docs).
export async function sendWhatsApp(config: NonNullable<ChannelConfig['whatsapp']>, message: OutgoingMessage) {
  const answer = await postJson(
    `${config.url}/${encodeURIComponent(config.phoneNumberId)}/messages`,
    { authorization: `Bearer ${config.token}` },
    {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: message.recipient,
      type: 'template',
      biz_opaque_callback_data: message.id,
      template: {
        name: message.whatsappName,
        language: { code: message.language },
        components: [
          {
            type: 'body',
            parameters: message.parameters.map((text) => ({ type: 'text', text })),
          },
        ],
      },
    },
  );
  const id = (answer.messages as { id?: string }[] | undefined)?.[0]?.id;
  return { providerMessageId: id ?? null };
}

// The SMS gateway, Pulih's own simple contract (docs/architecture.md): POST {to, text,
// reference} with a bearer token and `Idempotency-Key: <outbox id>`, answered {id}.
export async function sendSms(config: NonNullable<ChannelConfig['sms']>, message: OutgoingMessage) {
  const answer = await postJson(
    config.url,
    {
      ...(config.token ? { authorization: `Bearer ${config.token}` } : {}),
      'idempotency-key': message.id,
    },
    { to: `+${message.recipient}`, text: message.body, reference: message.id },
  );
  return { providerMessageId: typeof answer.id === 'string' ? answer.id : null };
}

// One pooled transport per SMTP URL.
const transports = new Map<string, Transporter>();

// nodemailer is imported at the first mail, not at every start of every process (0.07 s of
// CPU: docs/testing.md, "Eleventh stop").
async function transportOf(url: string) {
  let transport = transports.get(url);
  if (!transport) {
    const { default: nodemailer } = await import('nodemailer');
    // Another mail may have created it while this one waited for the import.
    transport =
      transports.get(url) ?? nodemailer.createTransport(url, { pool: true, maxConnections: 2 } as never);
    transports.set(url, transport);
  }
  return transport;
}

export function closeMailTransports() {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

// E-mail through SMTP; the Message-ID is the outbox id, so a receiver can drop a resend.
export async function sendEmail(config: NonNullable<ChannelConfig['email']>, message: OutgoingMessage) {
  try {
    const info = await (await transportOf(config.url)).sendMail({
      from: config.from,
      to: message.recipient,
      subject: message.subject,
      text: message.body,
      messageId: `<${message.id}@pulih>`,
    });
    return { providerMessageId: info.messageId ?? null };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    throw new SendError(
      `smtp: ${error instanceof Error ? error.message : String(error)}`,
      code === undefined || code < 500,
    );
  }
}

export async function sendMessage(config: ChannelConfig, message: OutgoingMessage) {
  switch (message.channel) {
    case 'whatsapp':
      if (!config.whatsapp) throw new SendError('no_channel', false);
      return sendWhatsApp(config.whatsapp, message);
    case 'sms':
      if (!config.sms) throw new SendError('no_channel', false);
      return sendSms(config.sms, message);
    case 'email':
      if (!config.email) throw new SendError('no_channel', false);
      return sendEmail(config.email, message);
  }
}
