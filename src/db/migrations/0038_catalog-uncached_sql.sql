-- Catalogue search without the answer cache (issue 11, speed). Two costs grew with the number
-- of matches of a common word: ranking every product whose name has it, and reading every
-- match's row to check a filter (category, price band, place) or to count the facets.
--
-- 1. Filter marks in the documents. Both documents carry one lexeme per filter value of the
--    product: '@cat.<category>', '@price.<band>' (width_bucket over 50k/100k/250k/500k, as the
--    facets), '@kec.<kecamatan code>' and '@reg.<kelurahan/desa code>' of its business. A
--    search ANDs the chosen filters into its tsquery, so the GIN index intersects the word
--    and the filter before any row is read. A typed word can never reach them: the query's
--    words are letters and digits only, and no such prefix matches a lexeme starting with '@'.
--    They change no ts_rank (the rank is computed with the words alone, and ts_rank without
--    normalisation does not look at the document's length).
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
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- The price's band is in the documents now, so a new price rewrites them.
DROP TRIGGER IF EXISTS products_search_document ON products;
--> statement-breakpoint
CREATE TRIGGER products_search_document BEFORE INSERT OR UPDATE OF name, description, category, business_id, price
  ON products FOR EACH ROW EXECUTE FUNCTION catalog_product_document();
--> statement-breakpoint
-- A business that moves: its products' place marks follow (the update fires the trigger above,
-- and the statement trigger on products bumps the catalogue's version).
CREATE OR REPLACE FUNCTION catalog_business_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products SET name = name WHERE business_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_catalog_place AFTER UPDATE OF kecamatan_code, region_code ON businesses
  FOR EACH ROW WHEN (OLD.kecamatan_code IS DISTINCT FROM NEW.kecamatan_code OR OLD.region_code IS DISTINCT FROM NEW.region_code)
  EXECUTE FUNCTION catalog_business_moved();
--> statement-breakpoint
UPDATE products SET name = name;
--> statement-breakpoint
-- 2. The order inside the first tier (the words in the name), newest first, from an index
--    that also holds the name's document: a common word's first page is found by walking it
--    and stopping at the page's size, reading no row (an index-only scan).
CREATE INDEX IF NOT EXISTS products_listed_newest_idx ON products (created_at DESC, id)
  INCLUDE (name_document) WHERE listed;
