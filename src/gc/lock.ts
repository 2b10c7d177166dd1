/**
 * The collector lock: one row in gc_lock, so two overlapping runs never both sweep. It expires on
 * its own (a holder that died frees it after `ttlMs`); its holder releases it in a `finally`.
 */
import type { GcStore } from "./d1";

/** LockOptions: how long the lock lasts once taken, and how long to wait for it. */
export interface LockOptions {
  /** Milliseconds the lock stays valid if its holder never releases it. */
  ttlMs: number;
  /** Milliseconds to keep retrying while another run holds it; 0: one attempt. */
  waitMs: number;
  clock: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** takeLock takes the lock for `holder`, retrying with backoff up to `waitMs`; false if it never could. */
export async function takeLock(store: GcStore, holder: string, options: LockOptions): Promise<boolean> {
  const giveUpAt = options.clock() + options.waitMs;
  for (let attempt = 0; ; attempt++) {
    const at = options.clock();
    if (await store.takeLock(holder, at, at + options.ttlMs)) return true;
    const left = giveUpAt - options.clock();
    if (left <= 0) return false;
    await sleep(Math.min(100 * 2 ** attempt, 2_000, left));
  }
}
