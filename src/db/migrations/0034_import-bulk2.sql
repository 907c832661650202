ALTER TABLE "people" ALTER COLUMN "name_key" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "people" ALTER COLUMN "name_key" SET DEFAULT '';
