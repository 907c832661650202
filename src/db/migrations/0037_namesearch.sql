ALTER TABLE "businesses" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (registry_name_terms("name")) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (registry_name_terms("name")) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "businesses_search_idx" ON "businesses" USING gin ("search");--> statement-breakpoint
CREATE INDEX "people_search_idx" ON "people" USING gin ("search");