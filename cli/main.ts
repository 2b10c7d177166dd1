/**
 * The `leasehold` command line, after containerd's `ctr leases` and `ctr content`. `main(argv)`
 * parses with commander, runs one command, and turns a service error into one line on stderr
 * and exit status 1.
 */
import { Command } from "commander";
import { isApiError } from "../src/client/index.ts";
import { registerGc, registerTokens } from "./commands/admin.ts";
import { registerContent, registerIngest } from "./commands/content.ts";
import { registerLeases, registerResources } from "./commands/leases.ts";
import { action } from "./context.ts";
import { emit } from "./output.ts";

/** program builds the command tree. */
export function program(): Command {
  const cli = new Command("leasehold")
    .description("Leasehold: leases and content on the command line")
    .option("--url <url>", "service URL (env LEASEHOLD_URL, default http://localhost:8787)")
    .option("--token <token>", "bearer token (env LEASEHOLD_TOKEN)")
    .option("-n, --namespace <ns>", "namespace (env LEASEHOLD_NAMESPACE)", process.env.LEASEHOLD_NAMESPACE ?? "default")
    .option("--json", "print JSON for scripts")
    .showHelpAfterError();

  registerLeases(cli);
  registerResources(cli);
  registerContent(cli);
  registerIngest(cli);
  registerGc(cli);
  registerTokens(cli);
  cli
    .command("health")
    .description("check the service is up")
    .action(action(async ({ client, out }) => emit(out, await client.healthz(), (h) => `${h.status} ${h.version}`)));
  return cli;
}

/** main runs the CLI and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (err) {
    if (isApiError(err)) {
      process.stderr.write(`leasehold: ${err.message} (${err.code}, request ${err.requestId})\n`);
    } else {
      process.stderr.write(`leasehold: ${describeError(err)}\n`);
    }
    return 1;
  }
}

/**
 * describeError renders a failure that is not the service's answer. Node's fetch says only
 * "fetch failed" and keeps the reason (ECONNREFUSED, a DNS failure) in `cause`, for `localhost`
 * as an AggregateError of one failure per address tried; those reasons are appended.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const reasons = causes(err.cause).filter((r) => r !== "" && !err.message.includes(r));
  return reasons.length === 0 ? err.message : `${err.message}: ${[...new Set(reasons)].join("; ")}`;
}

function causes(cause: unknown): string[] {
  if (cause instanceof AggregateError && cause.errors.length > 0) return cause.errors.flatMap(causes);
  if (cause instanceof Error) return [cause.message || String((cause as { code?: unknown }).code ?? cause.name)];
  return cause === undefined ? [] : [String(cause)];
}
