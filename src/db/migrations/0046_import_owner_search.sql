-- A first load's businesses without a row trigger each (issue 14, point 4). The insert trigger
-- of namesearch2_sql read the owner's name with a query of its own for every business: at
-- 1,000,000 rows about a third of the businesses insert's CPU. The import now gives the owner's
-- document set-wise for the owners it has just inserted in the same transaction (no one else
-- can see, let alone rename, them before it commits), so the trigger fires only where the
-- writer left the column at its default: every other writer, and the import's owners that were
-- already stored, still get it from the owner's row read FOR SHARE, as before. A writer that
-- gives the column answers for it (a restore gives back what it saved).
DROP TRIGGER IF EXISTS businesses_owner_search_insert ON businesses;
--> statement-breakpoint
CREATE TRIGGER businesses_owner_search_insert BEFORE INSERT ON businesses
  FOR EACH ROW WHEN (NEW.owner_search = ''::tsvector) EXECUTE FUNCTION businesses_owner_search();
