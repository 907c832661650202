ALTER TABLE "products" ADD COLUMN "name_document" "tsvector";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "listed" boolean DEFAULT false NOT NULL;