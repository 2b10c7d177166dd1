/**
 * Budgets bound one collection: wall time, D1 statements and R2 calls. The phases ask before each
 * step; when a budget is spent they stop where they are, the progress they made is already saved,
 * and the run reports `complete: false` so the next run continues.
 */

/** Limits are the budget of one run. */
export interface Limits {
  /** Milliseconds of wall time. */
  timeMs: number;
  /** D1 statements (a batch counts each of its statements). */
  statements: number;
  /** R2 calls (list, delete, abort). */
  r2Calls: number;
}

/** DEFAULT_LIMITS fit a cron invocation comfortably; a sync delete uses the same. */
export const DEFAULT_LIMITS: Limits = { timeMs: 20_000, statements: 500, r2Calls: 1_000 };

/** Budget tracks what a run has left. */
export class Budget {
  private readonly deadline: number;
  private r2Left: number;

  /** `statementsUsed` reads the D1 statements the run has executed so far (the adapter counts). */
  constructor(
    readonly limits: Limits,
    private readonly statementsUsed: () => number,
    private readonly clock: () => number = Date.now,
  ) {
    this.deadline = clock() + limits.timeMs;
    this.r2Left = limits.r2Calls;
  }

  /** spendR2 records one R2 call. */
  spendR2(): void {
    this.r2Left -= 1;
  }

  /** allows tells whether a step costing this much may still start. */
  allows(cost: { statements?: number; r2Calls?: number } = {}): boolean {
    return (
      this.clock() < this.deadline &&
      this.limits.statements - this.statementsUsed() >= (cost.statements ?? 1) &&
      this.r2Left >= (cost.r2Calls ?? 0)
    );
  }
}
