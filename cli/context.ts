/** What every command needs: a client built from flags or environment, and the output. */
import type { Command } from "commander";
import { createClient, DEFAULT_URL, type LeaseholdClient, type NamespaceClient } from "../src/client/index.ts";
import { consoleOutput, type Output } from "./output.ts";

/** GlobalOptions are the flags every command takes (see main.ts). */
export interface GlobalOptions {
  url?: string;
  token?: string;
  namespace: string;
  json?: boolean;
}

/** Ctx is handed to each command's action. */
export interface Ctx {
  client: LeaseholdClient;
  ns: NamespaceClient;
  out: Output;
  options: GlobalOptions;
}

/**
 * contextOf reads the global options of the command's program: `--url` or `LEASEHOLD_URL`
 * (default http://localhost:8787), `--token` or `LEASEHOLD_TOKEN` (default none), `--namespace` or
 * `LEASEHOLD_NAMESPACE` (default `default`).
 */
export function contextOf(command: Command): Ctx {
  const options = command.optsWithGlobals<GlobalOptions>();
  const client = createClient({
    url: options.url ?? process.env.LEASEHOLD_URL ?? DEFAULT_URL,
    token: options.token ?? process.env.LEASEHOLD_TOKEN ?? undefined,
  });
  return { client, ns: client.namespace(options.namespace), out: consoleOutput(Boolean(options.json)), options };
}

/** action wraps a command body so it receives the context, then its own arguments. */
export function action<A extends unknown[]>(body: (ctx: Ctx, ...args: A) => Promise<void>) {
  return async function (this: Command, ...args: unknown[]): Promise<void> {
    await body(contextOf(this), ...(args.slice(0, -1) as A));
  };
}
