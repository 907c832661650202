// Pure rules of a business's public storefront: its address (slug) and the links to the
// marketplaces and social networks where it also sells.

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugMaxLength = 60;

// "Anyaman Rotan Bu Siti (Tangkiling)" → "anyaman-rotan-bu-siti-tangkiling": lower case, accents
// dropped, every run of other characters one hyphen. A name without a letter or digit gives "toko".
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, slugMaxLength)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : 'toko';
}

// The n-th candidate when the plain slug is taken: "nama", "nama-2", "nama-3", …
export function slugCandidate(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, slugMaxLength - suffix.length).replace(/-+$/, '')}${suffix}`;
}

export const storefrontPlatforms = ['tokopedia', 'shopee', 'tiktokShop', 'instagram'] as const;
export type StorefrontPlatform = (typeof storefrontPlatforms)[number];

// The hosts each platform serves shop pages from (short links included), over HTTPS only.
const platformHosts: Record<StorefrontPlatform, RegExp> = {
  tokopedia: /^(?:www\.|m\.)?tokopedia\.(?:com|link)$|^tk\.tokopedia\.com$/,
  shopee: /^(?:www\.)?shopee\.co\.id$|^shp\.ee$|^id\.shp\.ee$/,
  tiktokShop: /^(?:www\.|shop\.|vt\.|vm\.)?tiktok\.com$/,
  instagram: /^(?:www\.)?instagram\.com$|^instagr\.am$/,
};

// A shop or profile link as the owner pasted it: with or without https://, trimmed. Answers the
// normalised https URL, or null when it is not a page of that platform (or is only its home page).
export function platformUrl(platform: StorefrontPlatform, input: string): string | null {
  const text = input.trim();
  if (text === '' || /\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.port) return null;
  const host = url.hostname.toLowerCase();
  if (!platformHosts[platform].test(host)) return null;
  if (url.pathname === '/' || url.pathname === '') return null;
  url.protocol = 'https:';
  url.hash = '';
  return url.toString();
}
