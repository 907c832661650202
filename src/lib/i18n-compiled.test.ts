import { describe, expect, it } from 'vitest';
import { compiledMessage, languages, translator } from './i18n.ts';

// compiledMessage fills placeholders itself (for the catalogue's order links): it must give what
// t() gives, in every language.
describe('compiledMessage', () => {
  const values = {
    product: 'Tas Anyaman Rotan',
    business: 'Anyaman & Co',
    url: 'https://x.test/katalog/1?a=b',
  };

  it.each(languages)('writes the order message as t() does (%s)', (lang) => {
    expect(compiledMessage(lang, 'catalog', 'orderText')(values)).toBe(
      translator(lang, 'catalog')('orderText', values),
    );
  });

  it('names a message that does not exist', () => {
    expect(() => compiledMessage('id', 'catalog', 'noSuchMessage')).toThrow(/noSuchMessage/);
  });
});
