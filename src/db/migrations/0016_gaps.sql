ALTER TABLE "aid_allocations" ADD COLUMN "planned_at" date;--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD COLUMN "planned_place" text;