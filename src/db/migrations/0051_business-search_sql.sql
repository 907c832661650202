-- A first load's business names without a PL/pgSQL call each (issue 14, point 4). As a generated
-- column, businesses.search ran registry_name_terms (about 4–10 µs) for every business the
-- import wrote, on the server's one core that also takes the rows. A writer may now give the
-- document: the import gives it for plain ASCII names from nameSearchDocument
-- (src/domain/name-search.ts, tested against this function), as it does the owner's. A writer
-- that leaves it at its default, or renames a business without giving a new one, gets it from
-- these triggers, so every writer, raw SQL included, still keeps it right.
CREATE OR REPLACE FUNCTION businesses_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := registry_name_terms(NEW.name);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_search_insert BEFORE INSERT ON businesses
  FOR EACH ROW WHEN (NEW.search = ''::tsvector) EXECUTE FUNCTION businesses_search();
--> statement-breakpoint
CREATE TRIGGER businesses_search_rename BEFORE UPDATE OF name ON businesses
  FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name AND NEW.search IS NOT DISTINCT FROM OLD.search)
  EXECUTE FUNCTION businesses_search();
