-- Indexes for the registry list at a million businesses (filters walk the name order within
-- the filtered set). The size expression must stay character-for-character the one the
-- list query renders (sizeClassIndexExpression in businesses.queries.ts), or it is not used.
CREATE INDEX IF NOT EXISTS "businesses_kecamatan_name_idx" ON "businesses" ("kecamatan_code", lower("name"), "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "businesses_region_name_idx" ON "businesses" ("region_code", lower("name"), "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "businesses_kbli_name_idx" ON "businesses" ("kbli", lower("name"), "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "businesses_size_name_idx" ON "businesses" ((case when annual_turnover is not null then case when annual_turnover <= 2000000000 then 'mikro' when annual_turnover <= 15000000000 then 'kecil' when annual_turnover <= 50000000000 then 'menengah' else 'besar' end when capital is not null then case when capital <= 1000000000 then 'mikro' when capital <= 5000000000 then 'kecil' when capital <= 10000000000 then 'menengah' else 'besar' end end), lower("name"), "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "people_phone_idx" ON "people" ("phone");
--> statement-breakpoint
DROP INDEX IF EXISTS "businesses_name_order_idx";
--> statement-breakpoint
CREATE INDEX "businesses_name_order_idx" ON "businesses" (lower("name"), "id") INCLUDE ("name");
