/**
 * Resources a lease can hold: `{type, id}`. The service manages two types, `content` (id: a
 * digest) and `ingests` (id: an ingest ref). Other well-formed types (`images`,
 * `snapshots/overlayfs`, `foo/bar`) are `not_implemented`; malformed ones are `invalid_argument`.
 */
import { invalidArgument, notImplemented } from "../errors";
import { isDigest } from "../model/digest";
import { isIngestRef } from "../model/identifiers";

/** ResourceType is a type the service manages. */
export type ResourceType = "content" | "ingests";

/** Resource is the contract's resource object. */
export interface Resource {
  type: string;
  id: string;
}

/** ManagedResource is a resource whose type the service manages. */
export interface ManagedResource {
  type: ResourceType;
  id: string;
}

const WELL_FORMED = /^[a-z]+(?:\/[^/]+)?$/;

/** Types containerd knows that take no sub-type; `content/x` is malformed, not unknown. */
const PLAIN_TYPES = new Set(["content", "ingests", "images"]);

/** parseResourceType validates a type: managed, or `invalid_argument`, or `not_implemented`. */
export function parseResourceType(type: string): ResourceType {
  if (type === "content" || type === "ingests") return type;
  const [base, sub] = type.split("/", 2);
  if (!WELL_FORMED.test(type) || base === undefined) throw invalidArgument(`resource type "${type}" is malformed`);
  if (PLAIN_TYPES.has(base) && sub !== undefined) throw invalidArgument(`resource type "${type}" is malformed`);
  if (base === "snapshots" && sub === undefined) {
    throw invalidArgument(`resource type "snapshots" needs a snapshotter: "snapshots/<name>"`);
  }
  throw notImplemented(`resource type "${type}" is not supported`);
}

/** parseResource validates a resource: its type, then its id for that type. */
export function parseResource(resource: Resource): ManagedResource {
  const type = parseResourceType(resource.type);
  if (type === "content" && !isDigest(resource.id)) {
    throw invalidArgument(`invalid content resource id "${resource.id.slice(0, 140)}": must be a digest`);
  }
  if (type === "ingests" && !isIngestRef(resource.id)) {
    throw invalidArgument(`invalid ingests resource id "${resource.id.slice(0, 140)}": must be an ingest ref`);
  }
  return { type, id: resource.id };
}
