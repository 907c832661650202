DROP INDEX "certificates_application_key";--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD COLUMN "planned_at" date;--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD COLUMN "planned_place" text;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_application_key" ON "certificates" USING btree ("application_id") WHERE "certificates"."revoked_at" is null;