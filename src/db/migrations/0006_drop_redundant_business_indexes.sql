DROP INDEX "businesses_kecamatan_idx";--> statement-breakpoint
DROP INDEX "businesses_kbli_idx";