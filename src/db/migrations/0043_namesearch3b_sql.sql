-- A rare name search without visiting every match (issue 14, point 3). A search collects its
-- matches through the GIN index and sorts them by name; a GIN index knows nothing of the name
-- order, so each match was read from the table for its name: 2,000 matches, 2,000 pages,
-- most of a search's cost at 1,000,000 businesses. The name's place in the name order is now
-- a term of the indexed document, "#0" … "#8", one of nine stretches of the order that
-- registries' names begin in about equal shares (digits and a, b–c, d–j, k–l, m–o, p–s, t,
-- u–v, w–z). A page asks for the matches in the stretch where it starts; the index intersects
-- the search's terms with the stretch's own, and only that stretch's matches are read (150 of
-- 2,000 for the first page of "berkah jaya"). width_bucket compares in the collation of the
-- name order itself, so a name in a later stretch always sorts after a name in an earlier one,
-- whatever the database's collation.
CREATE OR REPLACE FUNCTION registry_name_stretch(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT '#' || width_bucket(lower(name), ARRAY['b', 'd', 'k', 'm', 'p', 't', 'u', 'w']::text[])
$$;
--> statement-breakpoint
-- One index for both documents and the stretch, instead of one per document: a search for the
-- business's or the owner's words is one scan of it, and the import maintains one GIN index
-- instead of two. The index answers "some document holds these terms" (a business word and an
-- owner word together as well); the query keeps its exact test of each document as a filter.
CREATE INDEX IF NOT EXISTS "businesses_name_terms_idx" ON "businesses" USING gin ((search || owner_search || array_to_tsvector(ARRAY[registry_name_stretch(name)])));
