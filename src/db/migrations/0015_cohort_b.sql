CREATE TABLE "training_ratings" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"rating" smallint NOT NULL,
	"remark" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_ratings_rating" CHECK ("training_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "pre_test_score" smallint;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "post_test_score" smallint;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "previous_program_id" uuid;--> statement-breakpoint
ALTER TABLE "training_ratings" ADD CONSTRAINT "training_ratings_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_previous_program_id_programs_id_fk" FOREIGN KEY ("previous_program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_test_scores" CHECK ("applications"."pre_test_score" between 0 and 100 and "applications"."post_test_score" between 0 and 100);