-- Catalogue search speed: a broad word ("rotan") used to rank every match, joined to its
-- business and owner, before the first page was taken. The name alone gets a document and an
-- index of its own (the first tier of the ranking), and "listed" (approved, published, the
-- business not closed) becomes a column kept by triggers, so a search reads products only
-- until its limit.
CREATE OR REPLACE FUNCTION catalog_product_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  business_name text;
BEGIN
  SELECT b.name INTO business_name FROM businesses b WHERE b.id = NEW.business_id;
  NEW.name_document := to_tsvector('indonesian', coalesce(NEW.name, ''));
  NEW.search_document :=
    setweight(NEW.name_document, 'A') ||
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
CREATE OR REPLACE FUNCTION catalog_product_listed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.listed := NEW.status = 'approved' AND NEW.published AND EXISTS (
    SELECT 1 FROM businesses b WHERE b.id = NEW.business_id AND b.status <> 'tutup');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER products_listed BEFORE INSERT OR UPDATE OF status, published, business_id
  ON products FOR EACH ROW EXECUTE FUNCTION catalog_product_listed();
--> statement-breakpoint
-- A business closed or reopened: its products' "listed" follows (the update fires the trigger above).
CREATE OR REPLACE FUNCTION catalog_business_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products SET status = status WHERE business_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_catalog_status AFTER UPDATE OF status ON businesses
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION catalog_business_status();
--> statement-breakpoint
-- Every document and every "listed" is computed once.
UPDATE products SET name = name, status = status;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS products_listed_name_document_idx ON products USING gin (name_document) WHERE listed;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS products_listed_search_document_idx ON products USING gin (search_document) WHERE listed;
--> statement-breakpoint
-- Browsing without a query: the listed products by name.
DROP INDEX IF EXISTS products_listed_name_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS products_listed_by_name_idx ON products (lower(name), id) WHERE listed;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS products_listed_updated_idx ON products (updated_at DESC) WHERE listed;
