import type { NotificationChannel } from './notifications.schema.ts';

// Where messages go, from the environment (docs/architecture.md, "Notifications"). A channel
// without its settings is not configured; with none configured every message is recorded as
// not_sent and the officer gets a click-to-chat link instead.
export type ChannelConfig = {
  whatsapp: {
    url: string;
    token: string;
    phoneNumberId: string;
    appSecret: string | null;
    verifyToken: string | null;
  } | null;
  sms: { url: string; token: string | null; webhookSecret: string | null } | null;
  email: { url: string; from: string } | null;
  // messages per second per channel (the provider's limit, or lower)
  ratePerSecond: Record<NotificationChannel, number>;
  maxAttempts: number;
  // quiet hours in the office's time zone, as hours: messages due inside wait until the end
  quietHours: { from: number; to: number } | null;
};

export const defaultWhatsAppUrl = 'https://graph.facebook.com/v21.0';

export function channelConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  const quiet = env.PULIH_NOTIFY_QUIET_HOURS ?? '21-7';
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(quiet);
  return {
    whatsapp:
      env.PULIH_WHATSAPP_TOKEN && env.PULIH_WHATSAPP_PHONE_NUMBER_ID
        ? {
            url: (env.PULIH_WHATSAPP_URL || defaultWhatsAppUrl).replace(/\/+$/, ''),
            token: env.PULIH_WHATSAPP_TOKEN,
            phoneNumberId: env.PULIH_WHATSAPP_PHONE_NUMBER_ID,
            appSecret: env.PULIH_WHATSAPP_APP_SECRET || null,
            verifyToken: env.PULIH_WHATSAPP_VERIFY_TOKEN || null,
          }
        : null,
    sms: env.PULIH_SMS_URL
      ? {
          url: env.PULIH_SMS_URL,
          token: env.PULIH_SMS_TOKEN || null,
          webhookSecret: env.PULIH_SMS_WEBHOOK_SECRET || null,
        }
      : null,
    email: env.PULIH_SMTP_URL
      ? { url: env.PULIH_SMTP_URL, from: env.PULIH_SMTP_FROM || 'Pulih <noreply@localhost>' }
      : null,
    ratePerSecond: {
      whatsapp: number('PULIH_WHATSAPP_RATE', 20),
      sms: number('PULIH_SMS_RATE', 10),
      email: number('PULIH_SMTP_RATE', 5),
    },
    maxAttempts: number('PULIH_NOTIFY_MAX_ATTEMPTS', 6),
    quietHours: match && quiet !== 'off' ? { from: Number(match[1]), to: Number(match[2]) } : null,
  };
}

// Tests and benchmarks point the channels at their fakes with overrideChannelConfig and put the
// environment's back with the function it returns (no process.env is changed).
let override: ChannelConfig | null = null;

export function channelConfig(): ChannelConfig {
  return override ?? channelConfigFromEnv();
}

export function overrideChannelConfig(config: Partial<ChannelConfig>): () => void {
  const before = override;
  override = { ...channelConfigFromEnv({}), quietHours: null, ...config };
  return () => {
    override = before;
  };
}

export function anyChannel(config: ChannelConfig): boolean {
  return config.whatsapp !== null || config.sms !== null || config.email !== null;
}
