CREATE TABLE "application_outcomes" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"program_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"status" "application_status" NOT NULL,
	"kecamatan_code" text NOT NULL,
	"kbli" text,
	"equipped" smallint NOT NULL,
	"asked" smallint NOT NULL,
	"answered" smallint NOT NULL,
	"selling" smallint NOT NULL,
	"new_entrepreneur" smallint NOT NULL,
	"active" smallint NOT NULL,
	"recovered_known" smallint NOT NULL,
	"recovered" smallint NOT NULL,
	"last_due" date,
	"turnover_before" bigint,
	"turnover_after" bigint,
	"workers_before" integer,
	"workers_after" integer
);
--> statement-breakpoint
CREATE TABLE "business_counts" (
	"kecamatan_code" text PRIMARY KEY NOT NULL,
	"businesses" integer NOT NULL,
	"covid_impacted" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "application_outcomes" ADD CONSTRAINT "application_outcomes_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_outcomes_program_idx" ON "application_outcomes" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "application_outcomes_kecamatan_idx" ON "application_outcomes" USING btree ("kecamatan_code");