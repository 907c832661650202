DROP INDEX "people_search_idx";--> statement-breakpoint
ALTER TABLE "businesses" ADD COLUMN "owner_search" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "people" DROP COLUMN "search";
