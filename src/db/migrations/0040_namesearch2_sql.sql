-- Name search in one index scan (issue 14, point 3): businesses.owner_search is the search
-- document of the owner's name (registry_name_terms, the rule of src/domain/name-search.ts),
-- carried on each of their businesses, so that a search for an owner's name is one GIN scan of
-- businesses like a search for a business's name, instead of a scan of people followed by a
-- look-up of every matching person's businesses. people.search, which only that look-up read,
-- is dropped (previous migration): a registration or an import computes the owner's document
-- once per business instead of once per person plus once per business.
--
-- Triggers keep it, so that every writer (registrations, edits, the import's set-wise upserts
-- in bulk mode too, dedup's merges and their undo, a restore, raw SQL) stays right:
-- * a business inserted, or moved to another owner, reads its owner's name. FOR SHARE: a
--   concurrent rename of that owner either committed before (and is read here, READ COMMITTED
--   follows the update) or waits for this transaction (and its trigger then sees this row).
--   An owner not found (a foreign key about to fail) leaves the column as given.
CREATE OR REPLACE FUNCTION businesses_owner_search() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  terms tsvector;
BEGIN
  SELECT registry_name_terms(p.name) INTO terms FROM people p WHERE p.id = NEW.owner_id FOR SHARE;
  IF FOUND THEN
    NEW.owner_search := terms;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_owner_search_insert BEFORE INSERT ON businesses
  FOR EACH ROW EXECUTE FUNCTION businesses_owner_search();
--> statement-breakpoint
-- The import's update sets owner_id on every row it writes: only a real change reads the owner.
CREATE TRIGGER businesses_owner_search_move BEFORE UPDATE OF owner_id ON businesses
  FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id) EXECUTE FUNCTION businesses_owner_search();
--> statement-breakpoint
-- * a person renamed rewrites the document on their businesses. Once per statement, set-wise:
--   the import renames people a batch at a time, and in bulk mode (businesses_owner_idx
--   dropped until the end) a row trigger would scan the businesses once per renamed person;
--   here it is at most once per statement. The renamed ids are gathered first so that the
--   update is planned on an array (an index scan of businesses_owner_idx when it is there).
CREATE OR REPLACE FUNCTION people_owner_search() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  renamed uuid[];
BEGIN
  SELECT array_agg(n.id) INTO renamed
  FROM people_renamed_new n JOIN people_renamed_old o ON o.id = n.id
  WHERE o.name IS DISTINCT FROM n.name;
  IF renamed IS NOT NULL THEN
    UPDATE businesses b SET owner_search = registry_name_terms(p.name)
    FROM people p
    WHERE b.owner_id = ANY (renamed) AND p.id = b.owner_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER people_owner_search AFTER UPDATE ON people
  REFERENCING OLD TABLE AS people_renamed_old NEW TABLE AS people_renamed_new
  FOR EACH STATEMENT EXECUTE FUNCTION people_owner_search();
--> statement-breakpoint
-- The businesses there already. A change of the column's type with a USING expression rewrites
-- the table once and builds every index of it afresh, leaving no dead rows; an UPDATE of every
-- row instead maintained each index row by row and ran for over ten minutes at 1,000,000
-- businesses (docs/benchmarks.md). USING takes no subquery: the owner's name is read by a
-- temporary function.
CREATE FUNCTION pg_temp.owner_terms_of(owner uuid) RETURNS tsvector
LANGUAGE sql STABLE AS $$ SELECT registry_name_terms(p.name) FROM people p WHERE p.id = owner $$;
--> statement-breakpoint
ALTER TABLE businesses ALTER COLUMN owner_search TYPE tsvector
  USING coalesce(pg_temp.owner_terms_of(owner_id), ''::tsvector);
--> statement-breakpoint
DROP FUNCTION pg_temp.owner_terms_of(uuid);
--> statement-breakpoint
CREATE INDEX "businesses_owner_search_idx" ON "businesses" USING gin ("owner_search");
