import type { AppContext } from '../../lib/context.ts';
import type { Actor } from '../../policies.ts';

// "The registry changed": people or businesses were added or changed in bulk (an import).
// Whoever cares (dedup recomputes its review queue) subscribes at assembly
// (src/app/app-context.ts), so the writer need not know them: imports does not import dedup.
export type RegistryChange = { actor: Actor | null };
type Listener = (ctx: AppContext, change: RegistryChange) => Promise<unknown>;

// Keyed by subscriber: subscribing again replaces, so assembling twice in one process is harmless.
const listeners = new Map<string, Listener>();

export function onRegistryChanged(subscriber: string, listener: Listener): void {
  listeners.set(subscriber, listener);
}

export async function registryChanged(ctx: AppContext, change: RegistryChange): Promise<void> {
  for (const listener of listeners.values()) await listener(ctx, change);
}
