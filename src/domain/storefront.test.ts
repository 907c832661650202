import { describe, expect, it } from 'vitest';
import { platformUrl, slugCandidate, slugFromName } from './storefront.ts';

describe('storefront slug', () => {
  it('is made from the business name, accents and punctuation folded', () => {
    expect(slugFromName('Anyaman Rotan Bu Siti (Tangkiling)')).toBe('anyaman-rotan-bu-siti-tangkiling');
    expect(slugFromName('  Kerajinan Dayak — Bukit Batu!  ')).toBe('kerajinan-dayak-bukit-batu');
    expect(slugFromName('Café Rotan')).toBe('cafe-rotan');
    expect(slugFromName('!!!')).toBe('toko');
  });

  it('numbers a taken slug and stays within the length', () => {
    expect(slugCandidate('rotan', 1)).toBe('rotan');
    expect(slugCandidate('rotan', 3)).toBe('rotan-3');
    const long = slugFromName('a'.repeat(100));
    expect(slugCandidate(long, 12).length).toBeLessThanOrEqual(60);
  });
});

describe('platform links', () => {
  it('accepts shop pages of each platform, with or without the scheme', () => {
    expect(platformUrl('tokopedia', 'tokopedia.com/rotanbusiti')).toBe('https://tokopedia.com/rotanbusiti');
    expect(platformUrl('shopee', 'https://shopee.co.id/rotan.siti')).toBe('https://shopee.co.id/rotan.siti');
    expect(platformUrl('tiktokShop', 'https://www.tiktok.com/@rotansiti')).toBe(
      'https://www.tiktok.com/@rotansiti',
    );
    expect(platformUrl('instagram', 'http://instagram.com/rotan.siti')).toBe(
      'https://instagram.com/rotan.siti',
    );
  });

  it('refuses another platform, a look-alike host, a bare home page and other schemes', () => {
    expect(platformUrl('tokopedia', 'https://shopee.co.id/rotan')).toBeNull();
    expect(platformUrl('shopee', 'https://shopee.co.id.evil.example/rotan')).toBeNull();
    expect(platformUrl('instagram', 'https://instagram.com/')).toBeNull();
    expect(platformUrl('instagram', 'javascript:alert(1)//instagram.com/x')).toBeNull();
    expect(platformUrl('tokopedia', 'https://user:pw@tokopedia.com/x')).toBeNull();
    expect(platformUrl('tokopedia', 'toko pedia')).toBeNull();
  });
});
