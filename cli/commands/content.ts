/** `leasehold content …` and `leasehold ingest …`, after `ctr content`. */
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { all, type ContentInfo, type IngestStatus } from "../../src/client/index.ts";
import { action } from "../context.ts";
import { bytes, collect, emit, labelList, parseLabels, table } from "../output.ts";
import { progressBar } from "../progress.ts";

const infoRows = (items: ContentInfo[]) =>
  table(
    ["DIGEST", "SIZE", "CREATED AT", "LABELS"],
    items.map((i) => [i.digest, bytes(i.size), i.createdAt, labelList(i.labels)]),
  );

type PushFlags = { lease?: string; label: string[]; ref?: string; partSize?: number; progress: boolean };

/** registerContent adds `content push|get|ls|rm|label|info`. */
export function registerContent(program: Command): void {
  const content = program.command("content").description("manage blobs");

  content
    .command("push")
    .description("upload a file (or - for stdin); large ones go in resumable parts")
    .argument("<file>", "path, or - for stdin")
    .option("--lease <id>", "add the blob to this lease as it becomes visible")
    .option("-l, --label <key=value>", "label (repeatable)", collect, [])
    .option("--ref <ref>", "ingest ref; push again with the same ref to resume")
    .option("--part-size <bytes>", "upload in parts of this size when the file is larger than one part", Number)
    .option("--no-progress", "no progress bar")
    .action(
      action(async ({ ns, out }, file: string, o: PushFlags) => {
        const source = file === "-" ? (Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>) : file;
        const size = file === "-" ? null : (await stat(file)).size;
        const bar = progressBar("push", size, o.progress && !out.json);
        const labels = parseLabels(o.label) as Record<string, string>;
        // Without --part-size the client's threshold (16 MiB) decides; with it, anything above one part.
        const threshold = o.partSize === undefined ? undefined : o.partSize + 1;
        const options = { leaseId: o.lease, labels, ref: o.ref, partSize: o.partSize, threshold };
        const result = await ns.push(source, { ...options, onProgress: bar.update }).finally(() => bar.stop());
        emit(out, result, (r) => r.digest);
      }),
    );

  content
    .command("get")
    .description("read a blob to stdout or a file")
    .argument("<digest>", "blob digest")
    .option("-o, --output <file>", "write to this file instead of stdout")
    .option("--range <start-end>", "only these bytes (inclusive), e.g. 0-99")
    .option("--no-progress", "no progress bar")
    .action(
      action(async ({ ns }, digest: string, o: { output?: string; range?: string; progress: boolean }) => {
        const res = await ns.content.get(digest, { range: o.range ? `bytes=${o.range}` : undefined });
        const total = Number(res.headers.get("Content-Length") ?? Number.NaN);
        const bar = progressBar("get", Number.isFinite(total) ? total : null, o.progress && o.output !== undefined);
        let done = 0;
        const count = new Transform({
          transform(chunk: Buffer, _enc, next) {
            done += chunk.byteLength;
            bar.update(done, Number.isFinite(total) ? total : null);
            next(null, chunk);
          },
        });
        const sink = o.output ? createWriteStream(o.output) : process.stdout;
        const body = res.body
          ? Readable.fromWeb(res.body as import("node:stream/web").ReadableStream)
          : Readable.from([]);
        await pipeline(body, count, sink, { end: o.output !== undefined })
          .catch((err: unknown) => {
            // The reader of stdout went away (`| head`): what it wanted, it got. End quietly.
            if (sink === process.stdout && (err as { code?: unknown }).code === "EPIPE") return;
            throw err;
          })
          .finally(() => bar.stop());
      }),
    );

  content
    .command("ls")
    .alias("list")
    .description("list blobs (every page)")
    .option("-f, --filter <filter>", "containerd filter on digest or labels (repeatable: OR)", collect, [])
    .option("-q, --quiet", "print only digests")
    .action(
      action(async ({ ns, out }, o: { filter: string[]; quiet?: boolean }) => {
        const items: ContentInfo[] = [];
        for await (const i of all((cursor) => ns.content.list({ filter: o.filter, cursor, limit: 1000 }))) {
          items.push(i);
        }
        emit(out, items, (is) => (o.quiet ? is.map((i) => i.digest).join("\n") : infoRows(is)));
      }),
    );

  content
    .command("rm")
    .alias("delete")
    .description("delete blobs (metadata now, bytes at the next collection)")
    .argument("<digest...>", "blob digests")
    .action(
      action(async ({ ns, out }, digests: string[]) => {
        for (const d of digests) await ns.content.delete(d);
        emit(out, digests, (ds) => ds.join("\n"));
      }),
    );

  content
    .command("label")
    .description("set labels on a blob; key= removes a label")
    .argument("<digest>", "blob digest")
    .argument("<label...>", "key=value, or key= to remove")
    .action(
      action(async ({ ns, out }, digest: string, pairs: string[]) => {
        const info = await ns.content.label(digest, parseLabels(pairs, true));
        emit(out, info, (i) => `${i.digest} ${labelList(i.labels)}`);
      }),
    );

  content
    .command("info")
    .description("describe a blob")
    .argument("<digest>", "blob digest")
    .action(
      action(async ({ ns, out }, digest: string) => emit(out, await ns.content.info(digest), (i) => infoRows([i]))),
    );
}

/** registerIngest adds `ingest ls|status|abort`. */
export function registerIngest(program: Command): void {
  const ingest = program.command("ingest").description("inspect and abort resumable uploads");
  const rows = (items: IngestStatus[]) =>
    table(
      ["REF", "OFFSET", "PART SIZE", "EXPECTED", "UPDATED AT"],
      items.map((s) => [s.ref, bytes(s.offset), bytes(s.partSize), s.expectedDigest ?? "-", s.updatedAt]),
    );

  ingest
    .command("ls")
    .description("list uploads in progress")
    .action(
      action(async ({ ns, out }) => {
        const items: IngestStatus[] = [];
        for await (const s of all((cursor) => ns.ingests.list({ cursor, limit: 1000 }))) items.push(s);
        emit(out, items, rows);
      }),
    );

  ingest
    .command("status")
    .description("show an upload's offset")
    .argument("<ref>", "ingest ref")
    .action(action(async ({ ns, out }, ref: string) => emit(out, await ns.ingests.status(ref), (s) => rows([s]))));

  ingest
    .command("abort")
    .description("abort an upload and drop its bytes")
    .argument("<ref...>", "ingest refs")
    .action(
      action(async ({ ns, out }, refs: string[]) => {
        for (const ref of refs) await ns.ingests.abort(ref);
        emit(out, refs, (rs) => rs.join("\n"));
      }),
    );
}
