ALTER TABLE "dedup_candidates" ADD COLUMN "nik_other_kecamatan" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dedup_candidates" ADD COLUMN "nik_moved" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dedup_candidates" ADD COLUMN "same_business" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dedup_candidates" ADD COLUMN "household_moved" boolean DEFAULT false NOT NULL;