-- Two costs of a catalogue search without the answer cache (issue 11, speed).
--
-- 1. A typed prefix as an exact OR of lexemes. The last word of a query being typed is
--    searched as a prefix (`rotan` → `rotan:*`); the GIN index answers a prefix by scanning its
--    entries from the prefix on and gathering every matching entry's postings into a bitmap
--    first, which costs more than reading the same postings of an exact entry. With every
--    lexeme of the documents in catalog_lexemes, a search asks for the lexemes that start with
--    the prefix and matches their exact OR instead: the same products, fewer steps.
--
-- 2. The business's kecamatan on the product's row (products.kecamatan_code), kept by the same
--    trigger: a search's facets are counted over up to 1,000 of its matches, and reading each
--    one's business by its key was a third of a facets search's work.
--
-- Bytewise order, so that the lexemes starting with a prefix are one run of the primary key
-- from the prefix on, whatever the database's collation (a linguistic one sorts "co-op"
-- between "coo" and "cop").
ALTER TABLE catalog_lexemes ALTER COLUMN lexeme TYPE text COLLATE "C";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION catalog_product_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  business_name text;
  business_kecamatan text;
  business_region text;
  marks tsvector;
  name_words tsvector;
BEGIN
  SELECT b.name, b.kecamatan_code, b.region_code INTO business_name, business_kecamatan, business_region
  FROM businesses b WHERE b.id = NEW.business_id;
  marks := array_to_tsvector(array_remove(ARRAY[
    '@cat.' || NEW.category,
    '@price.' || width_bucket(NEW.price, ARRAY[50000, 100000, 250000, 500000]::bigint[]),
    '@kec.' || business_kecamatan,
    '@reg.' || business_region], NULL));
  name_words := to_tsvector('indonesian', coalesce(NEW.name, ''));
  NEW.name_document := name_words || marks;
  NEW.kecamatan_code := business_kecamatan;
  NEW.search_document :=
    setweight(name_words, 'A') ||
    setweight(to_tsvector('indonesian', coalesce(NEW.category, '')), 'B') ||
    setweight(to_tsvector('indonesian', coalesce(NEW.description, '')), 'C') ||
    setweight(to_tsvector('indonesian', coalesce(business_name, '')), 'D') ||
    marks;
  INSERT INTO catalog_words (word, lexeme)
  SELECT w, coalesce(array_to_string(tsvector_to_array(to_tsvector('indonesian', w)), ' '), w)
  FROM (
    SELECT DISTINCT w FROM regexp_split_to_table(
      lower(coalesce(NEW.name, '') || ' ' || coalesce(NEW.description, '') || ' ' || coalesce(business_name, '')),
      '[^[:alnum:]]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
  ) words
  WHERE NOT EXISTS (SELECT 1 FROM catalog_words c WHERE c.word = words.w)
  ON CONFLICT (word) DO NOTHING;
  -- The document's own lexemes (not the vocabulary's words, which the parser may split
  -- otherwise: "oleh-oleh" is a lexeme of its own), the marks aside: no typed word reaches them.
  INSERT INTO catalog_lexemes (lexeme)
  SELECT l FROM unnest(tsvector_to_array(NEW.search_document)) AS l
  WHERE left(l, 1) <> '@' AND NOT EXISTS (SELECT 1 FROM catalog_lexemes c WHERE c.lexeme = l)
  ON CONFLICT (lexeme) DO NOTHING;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Not an update of the trigger's columns: the documents stay as they are.
UPDATE products p SET kecamatan_code = b.kecamatan_code FROM businesses b WHERE b.id = p.business_id;
--> statement-breakpoint
INSERT INTO catalog_lexemes (lexeme)
SELECT DISTINCT l FROM products, unnest(tsvector_to_array(search_document)) AS l
WHERE search_document IS NOT NULL AND left(l, 1) <> '@'
ON CONFLICT (lexeme) DO NOTHING;
--> statement-breakpoint
-- A lexeme as a tsquery operand: quoted, its quotes doubled and its backslashes escaped.
CREATE OR REPLACE FUNCTION catalog_tsquery_operand(lexeme text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT chr(39) || replace(replace(lexeme, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39)
$$;
--> statement-breakpoint
-- A typed word's prefix as the exact OR of the lexemes that start with its stem (a tsquery's
-- text): the lexemes from the stem on in bytewise order, a run of which starts with it.
-- '@none' (a lexeme no document has) when none does. Null, so that the prefix itself is
-- searched, when the word is shorter than a typed prefix (3), when its stem is not one lexeme
-- (or to_tsquery would not make that lexeme the prefix), or when more than `most` lexemes start
-- with it. A function rather than SQL inside the search's statement: the stem is then computed
-- once, not once per place the planner copies it to, and the lookup's plan is kept by the
-- session instead of planned with every search.
CREATE OR REPLACE FUNCTION catalog_prefix_expansion(word text, most integer) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  stems text[];
  stem text;
  found text[];
BEGIN
  IF length(word) < 3 THEN
    RETURN NULL;
  END IF;
  stems := tsvector_to_array(to_tsvector('indonesian', word));
  IF cardinality(stems) <> 1 THEN
    RETURN NULL;
  END IF;
  stem := stems[1];
  IF to_tsquery('indonesian', word || ':*') <> (catalog_tsquery_operand(stem) || ':*')::tsquery THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(r.lexeme ORDER BY r.lexeme) INTO found
  FROM (SELECT l.lexeme FROM catalog_lexemes l WHERE l.lexeme >= stem ORDER BY l.lexeme LIMIT most + 1) r
  WHERE starts_with(r.lexeme, stem);
  IF found IS NULL THEN
    RETURN '''@none''';
  END IF;
  IF cardinality(found) > most THEN
    RETURN NULL;
  END IF;
  RETURN (SELECT string_agg(catalog_tsquery_operand(f), ' | ' ORDER BY f) FROM unnest(found) AS f);
END
$$;
