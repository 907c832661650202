-- Fuzzy matching for duplicate detection and name search; both ship with PostgreSQL
-- (contrib) and PGlite (loaded in src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_merged_into_fk" FOREIGN KEY ("merged_into") REFERENCES "people"("id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "businesses_name_trgm_idx" ON "businesses" USING gin (lower("name") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "people_name_trgm_idx" ON "people" USING gin (lower("name") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "businesses_name_order_idx" ON "businesses" (lower("name"), "id");
