/** `leasehold leases …` and `leasehold resources …`, after `ctr leases`. */
import type { Command } from "commander";
import { all, type Lease, type Resource } from "../../src/client/index.ts";
import { action } from "../context.ts";
import { collect, emit, labelList, parseLabels, table } from "../output.ts";

const leaseRows = (leases: Lease[]) =>
  table(
    ["ID", "CREATED AT", "EXPIRES AT", "LABELS"],
    leases.map((l) => [l.id, l.createdAt, l.expiresAt ?? "-", labelList(l.labels)]),
  );

/** registerLeases adds `leases create|ls|rm`. */
export function registerLeases(program: Command): void {
  const leases = program.command("leases").description("manage leases");

  leases
    .command("create")
    .description("create a lease")
    .argument("[id]", "lease id (default: generated)")
    .option("--ttl <seconds>", "expire after this many seconds", Number)
    .option("--expires-at <time>", "expire at this RFC 3339 time")
    .option("-l, --label <key=value>", "label (repeatable)", collect, [])
    .action(
      action(async ({ ns, out }, id: string | undefined, o: { ttl?: number; expiresAt?: string; label: string[] }) => {
        const labels = parseLabels(o.label) as Record<string, string>;
        const lease = await ns.leases.create({ id, ttl: o.ttl, expiresAt: o.expiresAt, labels });
        emit(out, lease, (l) => `${l.id}${l.expiresAt ? ` (expires ${l.expiresAt})` : ""}`);
      }),
    );

  leases
    .command("ls")
    .alias("list")
    .description("list leases (every page)")
    .option("-f, --filter <filter>", "containerd filter (repeatable: OR)", collect, [])
    .option("-q, --quiet", "print only ids")
    .action(
      action(async ({ ns, out }, o: { filter: string[]; quiet?: boolean }) => {
        const items: Lease[] = [];
        for await (const lease of all((cursor) => ns.leases.list({ filter: o.filter, cursor, limit: 1000 }))) {
          items.push(lease);
        }
        emit(out, items, (l) => (o.quiet ? l.map((x) => x.id).join("\n") : leaseRows(l)));
      }),
    );

  leases
    .command("rm")
    .alias("delete")
    .description("delete leases")
    .argument("<id...>", "lease ids")
    .option("--sync", "wait for a collection to finish, R2 deletions included")
    .action(
      action(async ({ ns, out }, ids: string[], o: { sync?: boolean }) => {
        const results = [];
        for (const id of ids) results.push({ id, gc: await ns.leases.delete(id, { sync: o.sync }) });
        emit(out, results, (rs) =>
          rs.map((r) => (r.gc ? `${r.id} (collected: ${r.gc.contentDeleted} blobs)` : r.id)).join("\n"),
        );
      }),
    );
}

/** registerResources adds `resources add|rm|ls`. */
export function registerResources(program: Command): void {
  const resources = program.command("resources").description("manage what a lease holds");

  resources
    .command("add")
    .description("add a resource to a lease (content digests or ingest refs)")
    .argument("<lease>", "lease id")
    .argument("<type>", "resource type: content or ingests")
    .argument("<id...>", "resource ids")
    .action(
      action(async ({ ns, out }, lease: string, type: string, ids: string[]) => {
        const added = ids.map((id) => ({ type, id }));
        await ns.leases.addResources(lease, added);
        emit(out, added, (rs) => rs.map((r) => `${r.type} ${r.id}`).join("\n"));
      }),
    );

  resources
    .command("rm")
    .description("remove a resource from a lease")
    .argument("<lease>", "lease id")
    .argument("<type>", "resource type")
    .argument("<id>", "resource id")
    .action(
      action(async ({ ns, out }, lease: string, type: string, id: string) => {
        await ns.leases.removeResource(lease, { type, id });
        emit(out, { type, id }, (r) => `${r.type} ${r.id}`);
      }),
    );

  resources
    .command("ls")
    .description("list a lease's resources")
    .argument("<lease>", "lease id")
    .option("-t, --type <type>", "only this type")
    .action(
      action(async ({ ns, out }, lease: string, o: { type?: string }) => {
        const items: Resource[] = [];
        for await (const r of all((cursor) => ns.leases.listResources(lease, { type: o.type, cursor, limit: 1000 }))) {
          items.push(r);
        }
        emit(out, items, (rs) =>
          table(
            ["TYPE", "ID"],
            rs.map((r) => [r.type, r.id]),
          ),
        );
      }),
    );
}
