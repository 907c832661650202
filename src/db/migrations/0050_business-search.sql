ALTER TABLE "businesses" ALTER COLUMN "search" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "businesses" ALTER COLUMN "search" SET DEFAULT ''::tsvector;
