/**
 * Tokens: issue, list, revoke and verify bearer tokens. A token reads `lh_<id>_<secret>`; the id
 * finds the row, and the hash of the whole token is compared in constant time. The deployment's
 * `ADMIN_TOKEN` secret is the bootstrap admin; without it every request is refused (fail closed).
 */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { LeaseholdError, notFound } from "../errors";
import { formatTime, now } from "../time";
import type { Principal, Role, Scope } from "./principal";
import { type TokenRow, tokens } from "./schema";
import { hashToken, randomPart, sameHash, sameSecret } from "./secrets";

/** TokenInfo is a token as listed: never the secret. */
export interface TokenInfo {
  id: string;
  role: Role;
  namespaces: Scope;
  description: string;
  createdAt: string;
}

const TOKEN = /^lh_([0-9a-f]{16})_([0-9a-f]{64})$/;

const info = (row: TokenRow): TokenInfo => ({
  id: row.id,
  role: row.role as Role,
  namespaces: JSON.parse(row.namespaces) as Scope,
  description: row.description,
  createdAt: formatTime(row.createdAt),
});

/** issueToken creates a token and returns it with its secret, which is never shown again. */
export async function issueToken(db: Db, input: { role: Role; namespaces: Scope; description?: string | undefined }) {
  const id = randomPart(8);
  const token = `lh_${id}_${randomPart(32)}`;
  const row: TokenRow = {
    id,
    hash: await hashToken(token),
    role: input.role,
    namespaces: JSON.stringify(input.namespaces),
    description: input.description ?? "",
    createdAt: now(),
  };
  await db.insert(tokens).values(row);
  const { description: _, ...shown } = info(row);
  return { ...shown, token };
}

/** listTokens returns every issued token, newest first. */
export async function listTokens(db: Db): Promise<TokenInfo[]> {
  return (await db.select().from(tokens).orderBy(desc(tokens.createdAt), tokens.id)).map(info);
}

/** revokeToken deletes a token; it stops working for the next request. */
export async function revokeToken(db: Db, id: string): Promise<void> {
  const result = await db.delete(tokens).where(eq(tokens.id, id)).run();
  if (result.meta.changes === 0) throw notFound("token", id);
}

const unauthenticated = (message: string) => new LeaseholdError("unauthenticated", message);

/**
 * authenticate resolves an `Authorization` header to a principal, or throws `unauthenticated`.
 * `adminToken` is the deployment's ADMIN_TOKEN secret.
 */
export async function authenticate(
  db: Db,
  header: string | undefined,
  adminToken: string | undefined,
): Promise<Principal> {
  if (!adminToken) throw unauthenticated("this deployment has no ADMIN_TOKEN configured; every request is refused");
  if (!header) throw unauthenticated("missing Authorization header; send Authorization: Bearer <token>");
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) throw unauthenticated("malformed Authorization header; send Authorization: Bearer <token>");
  const token = match[1];

  if (await sameSecret(token, adminToken)) return { tokenId: "admin", role: "admin", namespaces: "*" };

  const parts = TOKEN.exec(token);
  const row = parts?.[1] ? await db.query.tokens.findFirst({ where: eq(tokens.id, parts[1]) }) : undefined;
  if (!row || !sameHash(await hashToken(token), row.hash)) throw unauthenticated("unknown or revoked token");
  const { id, role, namespaces } = info(row);
  return { tokenId: id, role, namespaces };
}
