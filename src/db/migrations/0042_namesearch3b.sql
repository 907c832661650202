DROP INDEX IF EXISTS "businesses_search_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "businesses_owner_search_idx";