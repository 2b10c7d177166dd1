/** A progress bar on stderr for pushes and gets of large blobs (cli-progress), for people only. */
import cliProgress from "cli-progress";
import { bytes } from "./output.ts";

/** PROGRESS_MIN_BYTES: smaller transfers finish too fast to need a bar (8 MiB). */
export const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

/** Progress is told how many bytes are done; `stop` clears the line. */
export interface Progress {
  update(done: number, total: number | null): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/**
 * progressBar shows a bar when stderr is a terminal, output is not JSON, and the transfer is large
 * or of unknown size; otherwise it does nothing.
 */
export function progressBar(label: string, total: number | null, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY || (total !== null && total < PROGRESS_MIN_BYTES)) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% {done} / {size}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0, { done: bytes(0), size: total === null ? "?" : bytes(total) });
  return {
    update(done, size) {
      if (size !== null && size !== bar.getTotal()) bar.setTotal(size);
      bar.update(done, { done: bytes(done), size: size === null ? "?" : bytes(size) });
    },
    stop: () => bar.stop(),
  };
}
