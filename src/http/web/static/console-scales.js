// The ranges of the runs chart's scales, kept apart from the chart so they can be checked alone.

/** PAD_SECONDS is how much time is shown either side of runs that all started within a second. */
export const PAD_SECONDS = 30;

/**
 * timeRange spans the runs' start times (seconds). uPlot would stretch a single point, or several
 * in one second, over years; a minute around them is shown instead.
 */
export function timeRange(min, max) {
  return max - min < 1 ? [min - PAD_SECONDS, max + PAD_SECONDS] : [min, max];
}

/** fromZero spans 0 to a little above the largest value, and 0 to 1 when every value is 0. */
export function fromZero(max) {
  return [0, Math.max(max ?? 0, 1) * 1.1];
}
