ALTER TABLE "attendance" ADD COLUMN "late_reason" text;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "application_deadline" date;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "venue" text;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "lesson_hours" integer;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "trainers" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_lesson_hours" CHECK ("training_sessions"."lesson_hours" is null or "training_sessions"."lesson_hours" between 0 and 24);