-- Name search by words (issue 14, point 3): the search document of a name, every word and
-- every pair of adjacent words ("Warung Berkah Jaya" → warung, berkah, jaya, _warung_berkah,
-- _berkah_jaya), for the stored columns people.search and businesses.search and their GIN
-- indexes (next migration). The rule is nameSearchTerms() of src/domain/name-search.ts: lower
-- case, apostrophes dropped ("Ma'ruf" → maruf), runs of ASCII controls, spaces, punctuation
-- and symbols, Latin-1 punctuation and symbols and the typographic spaces, dashes and quotes
-- separate words (name-search.test.ts holds the two together). PL/pgSQL: a third of the cost
-- of the same rule written as one expression of regexes (back-references are slow), about
-- 10 µs a name. IMMUTABLE, as a generated column requires: changing it means a migration that
-- recomputes the columns.
CREATE OR REPLACE FUNCTION registry_name_terms(name text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  words text[] := string_to_array(btrim(regexp_replace(
    replace(replace(replace(lower(name), '''', ''), '‘', ''), '’', ''),
    '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u1680\u2000-\u206f\u3000\ufeff]+', ' ', 'g')), ' ');
  terms text[] := words;
  n int := cardinality(words);
BEGIN
  FOR i IN 2 .. n LOOP
    terms[n + i - 1] := '_' || words[i - 1] || '_' || words[i];
  END LOOP;
  RETURN array_to_tsvector(terms);
END
$$;
--> statement-breakpoint
-- The trigram indexes served only the search by any run of letters that this replaces; every
-- registration and import paid for them (about twenty trigrams a name).
DROP INDEX IF EXISTS "businesses_name_trgm_idx";
--> statement-breakpoint
DROP INDEX IF EXISTS "people_name_trgm_idx";
