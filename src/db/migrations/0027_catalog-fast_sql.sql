-- The catalogue's version: app servers keep search answers (the ranked ids, the facet counts)
-- in memory labelled with it, and use one only while it has not moved. One bump per statement,
-- not per row, so a bulk write costs one update; the row lock it takes is held to the end of
-- the writing transaction, so a reader that sees the new version also sees the new rows.
-- Readers take max(version); the first write makes the row (two concurrent first writes may
-- make two, which max() does not mind).
-- It lives outside the public schema on purpose: it is not data (a backup need not carry it),
-- and a restore, which drops and rebuilds the public schema, leaves it in place, so the
-- version never goes back to a number an app server may have cached answers under.
CREATE SCHEMA IF NOT EXISTS catalog_cache;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS catalog_cache.state (version bigint NOT NULL);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION catalog_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_cache.state SET version = version + 1;
  IF NOT FOUND THEN
    INSERT INTO catalog_cache.state (version) VALUES (1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER products_catalog_version AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
--> statement-breakpoint
CREATE TRIGGER products_catalog_version_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
--> statement-breakpoint
-- A business's place filters and facets its products. Its name and status already rewrite
-- its products (and so bump through the triggers above); its place does not.
CREATE TRIGGER businesses_catalog_version AFTER UPDATE OF kecamatan_code, region_code ON businesses
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
