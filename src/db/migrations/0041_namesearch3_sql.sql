-- The size filter among others (issue 14, point 3). About 98 % of businesses are micro
-- (PP 7/2021 classes; the share the registry's data and the benchmarks' follow), so walking
-- businesses_size_name_idx for size = 'mikro' is walking the whole name order; the planner
-- nevertheless chose it over the kecamatan's or KBLI's own name order when the costs tied, and
-- a KBLI whose trade word begins most of its businesses' names ("Toko Kelontong …") then lay
-- hundreds of thousands of rows down that walk (1.7 s at 1,000,000 businesses, against 30 ms
-- walking the KBLI's order). The index now holds only the other classes, the ones it is
-- selective for (2 % of the rows, so the import maintains a fiftieth of it); a filter on micro
-- alone walks the name order, where nearly every row matches.
--
-- Without an index on the whole expression, ANALYZE no longer keeps its statistics, and the
-- planner would take size = 'mikro' for a rare value (0.5 %) and sort every row of a kecamatan:
-- expression statistics keep the classes' real shares. The expression stays character for
-- character the one the list query renders (sizeClassIndexExpression in businesses.queries.ts),
-- or neither is used; registry-indexes.ts holds the same definition.
DROP INDEX IF EXISTS "businesses_size_name_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "businesses_size_name_idx" ON "businesses" ((case when annual_turnover is not null then case when annual_turnover <= 2000000000 then 'mikro' when annual_turnover <= 15000000000 then 'kecil' when annual_turnover <= 50000000000 then 'menengah' else 'besar' end when capital is not null then case when capital <= 1000000000 then 'mikro' when capital <= 5000000000 then 'kecil' when capital <= 10000000000 then 'menengah' else 'besar' end end), lower("name"), "id") WHERE (case when annual_turnover is not null then case when annual_turnover <= 2000000000 then 'mikro' when annual_turnover <= 15000000000 then 'kecil' when annual_turnover <= 50000000000 then 'menengah' else 'besar' end when capital is not null then case when capital <= 1000000000 then 'mikro' when capital <= 5000000000 then 'kecil' when capital <= 10000000000 then 'menengah' else 'besar' end end) <> 'mikro';
--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "businesses_size_class_stats" ON ((case when annual_turnover is not null then case when annual_turnover <= 2000000000 then 'mikro' when annual_turnover <= 15000000000 then 'kecil' when annual_turnover <= 50000000000 then 'menengah' else 'besar' end when capital is not null then case when capital <= 1000000000 then 'mikro' when capital <= 5000000000 then 'kecil' when capital <= 10000000000 then 'menengah' else 'besar' end end)) FROM "businesses";
--> statement-breakpoint
-- Only a registry that has rows: statistics taken of an empty table say "no rows", and the
-- planner then scans the table for each lookup by id while it fills (a catalogue of 100,000
-- products inserted in one statement, each product's trigger reading its business, went from
-- seconds to minutes). Autovacuum analyses a table that grows.
DO $$ BEGIN IF EXISTS (SELECT 1 FROM "businesses") THEN ANALYZE "businesses"; END IF; END $$;
