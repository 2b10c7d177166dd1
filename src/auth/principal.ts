/**
 * Principals and what they may do. A token has a role and a namespace scope:
 * - `read`: GET and HEAD inside its namespaces;
 * - `write`: every method inside its namespaces;
 * - `admin`: everything, in every namespace, plus the collector and tokens.
 */
import { LeaseholdError } from "../errors";

export const ROLES = ["read", "write", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Scope is a list of namespace names, or "*" for all. */
export type Scope = string[] | "*";

/** Principal is who a request acts as. `tokenId` is "admin" for the bootstrap token. */
export interface Principal {
  tokenId: string;
  role: Role;
  namespaces: Scope;
}

/** Need is what a request requires: a namespace (or none) and whether it writes or is admin-only. */
export interface Need {
  namespace: string | null;
  access: "read" | "write" | "admin";
}

const denied = (message: string) => new LeaseholdError("permission_denied", message);

/** authorize throws `permission_denied` unless the principal may do what the request needs. */
export function authorize(principal: Principal, need: Need): void {
  if (principal.role === "admin") return;
  if (need.access === "admin")
    throw denied(`this route needs an admin token; token "${principal.tokenId}" is ${principal.role}`);
  if (need.access === "write" && principal.role === "read") {
    throw denied(`token "${principal.tokenId}" is read-only`);
  }
  if (need.namespace !== null && principal.namespaces !== "*" && !principal.namespaces.includes(need.namespace)) {
    throw denied(`token "${principal.tokenId}" may not use namespace "${need.namespace}"`);
  }
}
