// Name search in the registry: by words, not by any run of letters. A name is cut into words
// (letters and digits; spaces, punctuation and symbols separate; an apostrophe joins: "Ma'ruf"
// is "maruf"), and its search document is every word plus every pair of adjacent words, so
// that "berkah jaya" is one term of its own ("_berkah_jaya") whose posting list is the names
// that say it, instead of the intersection of the lists of "berkah" and "jaya" (or, with
// trigrams, of "ber", "jay", "aya", …, each common to a tenth of all names).
//
// A search matches a name when the typed words follow one another in the name, the last typed
// word possibly unfinished: "yuli" finds "Warung Yuli" and "Yuliana Rangkap", "yuliana rang"
// finds "Yuliana Rangkap", "berkah-jaya" finds "Berkah Jaya". A fragment from inside a word
// ("uliana") finds nothing.
//
// The database computes the document: registry_name_terms(name) (migration namesearch_sql) in
// businesses.search (kept by triggers: migration business-search_sql) and the owner's on the
// same row (owner_search, kept by triggers: migration namesearch2_sql), so every writer keeps
// them right, the import's set-wise upserts, dedup's merges and a restore included; a first load
// gives both for plain ASCII names (nameSearchDocument). nameSearchTerms is the same
// rule here, which the tests hold against the database's. Letters are lower-cased by the
// database's lower(), on the document and on the search alike.

// Apostrophes inside names (Ma'ruf, Jum'at) join their halves.
const apostrophes = /['\u2018\u2019]/g;
// ASCII control characters, spaces, punctuation and symbols; Latin-1 punctuation and symbols
// (no-break space included); the typographic spaces, dashes and quotes. The same class as the
// database function's.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters separate words too
const separators = /[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u1680\u2000-\u206f\u3000\ufeff]+/g;

// A pair of words as one term. The leading mark keeps pairs out of a one-word prefix search
// ("berkah" reads the words beginning with berkah, not also every pair starting with one).
const pairMark = '_';

// The words of a name or of a search, in order, as typed (the database lower-cases them).
function wordsOf(text: string): string[] {
  const spaced = text.replace(apostrophes, '').replace(separators, ' ').trim();
  return spaced === '' ? [] : spaced.split(' ');
}

const pairsOf = (words: readonly string[]) =>
  words.slice(1).map((word, i) => `${pairMark}${words[i]}${pairMark}${word}`);

// The terms of a name's search document, distinct and in byte order, as a tsvector holds them.
export function nameSearchTerms(name: string): string[] {
  const words = wordsOf(name.toLowerCase());
  return [...new Set([...words, ...pairsOf(words)])].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
}

// The tsquery of a search, to be lower-cased by the database (`lower($1)::tsquery`), or null
// when it has no word and nothing can match: the typed words in order, the last a prefix. The
// words hold no quote, backslash, colon or operator (all separators), so they need no escaping.
export function nameSearchQuery(text: string): string | null {
  const words = wordsOf(text);
  if (words.length === 0) return null;
  const terms = words.length === 1 ? words : pairsOf(words);
  return `${terms.map((term) => `'${term}'`).join(' & ')}:*`;
}

// The search document of a name as registry_name_terms(name)::tsvector reads it, for a writer
// that gives the document instead of calling the function for it (a first load gives each owner's
// document on their businesses, about a million calls fewer at 1,000,000 rows). Only for names of
// printable ASCII, whose words are made of a–z and 0–9 (so no lexeme needs quoting), and only
// where the database's lower() turns A–Z into a–z as this one does (the writer checks that once);
// null for any other name, which is then left to the database. A tsvector's input sorts its
// lexemes and drops repeats.
//
// One pass over the characters, since this runs once for each of a million owners: wordsOf's
// rule for ASCII (letters and digits make words, an apostrophe joins, every other character
// separates), the pairs written as the words come.
export function nameSearchDocument(name: string): string | null {
  const lower = name.toLowerCase();
  let document = '';
  let previous = '';
  let word = '';
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    // past the end, a space ends the last word
    const c = i < lower.length ? lower.charCodeAt(i) : 0x20;
    if (c < 0x20 || c > 0x7e) return null;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      word += lower.slice(start, i);
      start = -1;
    }
    if (c === 0x27 || word === '') continue;
    document += previous === '' ? `'${word}'` : ` '${word}' '${pairMark}${previous}${pairMark}${word}'`;
    previous = word;
    word = '';
  }
  return document;
}
