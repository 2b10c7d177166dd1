/** `leasehold gc …` and `leasehold tokens …` (admin, except `gc explain`). */
import type { Command } from "commander";
import type { GcRun, Token } from "../../src/client/index.ts";
import { action } from "../context.ts";
import { bytes, emit, table } from "../output.ts";

const runRows = (runs: GcRun[]) =>
  table(
    ["ID", "TRIGGER", "STARTED AT", "MS", "LEASES", "CONTENT", "INGESTS", "FREED", "DONE"],
    runs.map((r) => [
      r.id,
      r.dryRun ? `${r.trigger} (dry)` : r.trigger,
      r.startedAt,
      String(r.durationMs ?? "-"),
      String(r.leasesExpired),
      String(r.contentDeleted),
      String(r.ingestsAborted),
      bytes(r.bytesFreed),
      r.complete ? "yes" : "no",
    ]),
  );

/** registerGc adds `gc run|runs|explain`. */
export function registerGc(program: Command): void {
  const gc = program.command("gc").description("the garbage collector");

  gc.command("run")
    .description("collect now (admin)")
    .option("--dry-run", "report what would be removed, change nothing")
    .option("--only-namespace", "collect only the namespace of -n")
    .action(
      action(async ({ client, out, options }, o: { dryRun?: boolean; onlyNamespace?: boolean }) => {
        const run = await client.gc.run({
          dryRun: o.dryRun,
          namespace: o.onlyNamespace ? options.namespace : undefined,
        });
        emit(out, run, (r) => runRows([r]));
      }),
    );

  gc.command("runs")
    .description("list recent collections, newest first (admin)")
    .option("--limit <n>", "how many", Number, 20)
    .action(action(async ({ client, out }, o: { limit: number }) => emit(out, await client.gc.runs(o), runRows)));

  gc.command("explain")
    .description("explain why a resource is kept (or would be removed)")
    .argument("<type>", "content or ingests")
    .argument("<id>", "digest or ingest ref")
    .action(
      action(async ({ ns, out }, type: string, id: string) => {
        const e = await ns.explain(type, id);
        emit(out, e, (x) => {
          const path = x.path.map((p) => `  ${p.type} ${p.id}`).join("\n");
          return `${x.type} ${x.id}: ${x.live ? `live (${x.reason})` : "not live: the next collection removes it"}${path ? `\n${path}` : ""}`;
        });
      }),
    );
}

/** registerTokens adds `tokens create|ls|rm` (admin). */
export function registerTokens(program: Command): void {
  const tokens = program.command("tokens").description("bearer tokens (admin)");

  tokens
    .command("create")
    .description("issue a token; its secret is printed once")
    .requiredOption("--role <role>", "read, write or admin")
    .requiredOption("--namespaces <list>", "comma-separated namespaces, or * for all")
    .option("--description <text>", "what it is for")
    .action(
      action(
        async ({ client, out }, o: { role: "read" | "write" | "admin"; namespaces: string; description?: string }) => {
          const namespaces = o.namespaces === "*" ? ("*" as const) : o.namespaces.split(",").map((s) => s.trim());
          const issued = await client.tokens.create({ role: o.role, namespaces, description: o.description });
          emit(out, issued, (t) => t.token);
        },
      ),
    );

  tokens
    .command("ls")
    .alias("list")
    .description("list tokens (no secrets)")
    .action(
      action(async ({ client, out }) =>
        emit(out, await client.tokens.list(), (ts: Token[]) =>
          table(
            ["ID", "ROLE", "NAMESPACES", "CREATED AT", "DESCRIPTION"],
            ts.map((t) => [
              t.id,
              t.role,
              t.namespaces === "*" ? "*" : t.namespaces.join(","),
              t.createdAt,
              t.description,
            ]),
          ),
        ),
      ),
    );

  tokens
    .command("rm")
    .alias("revoke")
    .description("revoke tokens at once")
    .argument("<id...>", "token ids")
    .action(
      action(async ({ client, out }, ids: string[]) => {
        for (const id of ids) await client.tokens.revoke(id);
        emit(out, ids, (xs) => xs.join("\n"));
      }),
    );
}
