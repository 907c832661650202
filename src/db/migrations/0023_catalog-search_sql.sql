-- Catalogue search: the products' search document and the vocabulary, kept by triggers so
-- that every writer (API, demo, restore, another module) leaves them right. PostgreSQL (12+)
-- and PGlite both ship the Snowball 'indonesian' configuration, which strips the prefixes
-- and suffixes of Indonesian word forms (menganyam, anyaman → anyam).
CREATE OR REPLACE FUNCTION catalog_product_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  business_name text;
BEGIN
  SELECT b.name INTO business_name FROM businesses b WHERE b.id = NEW.business_id;
  NEW.search_document :=
    setweight(to_tsvector('indonesian', coalesce(NEW.name, '')), 'A') ||
    setweight(to_tsvector('indonesian', coalesce(NEW.category, '')), 'B') ||
    setweight(to_tsvector('indonesian', coalesce(NEW.description, '')), 'C') ||
    setweight(to_tsvector('indonesian', coalesce(business_name, '')), 'D');
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
CREATE TRIGGER products_search_document BEFORE INSERT OR UPDATE OF name, description, category, business_id
  ON products FOR EACH ROW EXECUTE FUNCTION catalog_product_document();
--> statement-breakpoint
-- A renamed business: its products' documents carry the new name (the update fires the trigger above).
CREATE OR REPLACE FUNCTION catalog_business_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products SET name = name WHERE business_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_catalog_name AFTER UPDATE OF name ON businesses
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION catalog_business_renamed();
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS products_search_document_idx ON products USING gin (search_document);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS catalog_words_trgm_idx ON catalog_words USING gin (word gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS catalog_words_lexeme_idx ON catalog_words (lexeme);
--> statement-breakpoint
-- Browsing without a query: the listed products by name.
CREATE INDEX IF NOT EXISTS products_listed_name_idx ON products (lower(name), id) WHERE status = 'approved' AND published;
--> statement-breakpoint
-- Everything listed before curation existed stays listed; every document is built once.
UPDATE products SET status = 'approved', name = name;
