// Every operation in /openapi.json carries examples, for /docs to show and prefill: each
// parameter, each request body and each response body. Each example is checked against the
// schema it illustrates, so a field renamed in a schema cannot leave a stale example behind.
import { describe, expect, it } from "vitest";
import { call, freshNamespace } from "./helpers";

type Schema = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
type Media = { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> };
type Operation = {
  parameters?: { name: string; in: string; schema?: Schema; example?: unknown }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};

const doc = async (): Promise<Doc> => (await call("GET", "/openapi.json", { token: null })).json();

function resolve(d: Doc, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const target = d.components.schemas[ref.replace("#/components/schemas/", "")];
  if (!target) throw new Error(`dangling ${ref}`);
  return resolve(d, target);
}

const typeOk = (type: string, v: unknown): boolean =>
  type === "integer"
    ? Number.isInteger(v)
    : type === "null"
      ? v === null
      : type === "array"
        ? Array.isArray(v)
        : type === "object"
          ? typeof v === "object" && v !== null && !Array.isArray(v)
          : typeof v === type;

/** problems lists where `value` breaks `schema` (the JSON Schema subset zod-openapi emits). */
function problems(d: Doc, raw: Schema, value: unknown, at = "$"): string[] {
  const s = resolve(d, raw);
  const out: string[] = [];
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = s[key] as Schema[] | undefined;
    if (branches && !branches.some((b) => problems(d, b, value, at).length === 0)) out.push(`${at}: no ${key} branch`);
  }
  for (const b of (s.allOf as Schema[] | undefined) ?? []) out.push(...problems(d, b, value, at));
  if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ("const" in s && s.const !== value) out.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (s.type !== undefined && ![s.type].flat().some((t) => typeOk(String(t), value))) {
    return [...out, `${at}: ${JSON.stringify(value)} is not ${JSON.stringify(s.type)}`];
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) out.push(`${at}: below minimum`);
    if (typeof s.maximum === "number" && value > s.maximum) out.push(`${at}: above maximum`);
  }
  if (typeof value === "string" && typeof s.maxLength === "number" && value.length > s.maxLength) {
    out.push(`${at}: too long`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) out.push(`${at}: too few items`);
    value.forEach((item, i) => {
      if (s.items) out.push(...problems(d, s.items as Schema, item, `${at}[${i}]`));
    });
  } else if (typeof value === "object" && value !== null) {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const name of (s.required as string[] | undefined) ?? []) {
      if (!(name in value)) out.push(`${at}.${name}: required but missing`);
    }
    for (const [name, v] of Object.entries(value)) {
      const sub = props[name] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
      if (sub) out.push(...problems(d, sub as Schema, v, `${at}.${name}`));
      else if (s.additionalProperties === false) out.push(`${at}.${name}: not allowed`);
    }
  }
  return out;
}

/** exampleOf finds the example of a media type: its own, or its (resolved) schema's. */
function exampleOf(d: Doc, media: Media): { found: boolean; value: unknown } {
  if ("example" in media) return { found: true, value: media.example };
  const first = Object.values(media.examples ?? {})[0];
  if (first) return { found: true, value: first.value };
  const schema = media.schema ? resolve(d, media.schema) : {};
  return "example" in schema ? { found: true, value: schema.example } : { found: false, value: undefined };
}

/** operations lists every operation as `METHOD path` with its definition. */
const operations = (d: Doc) =>
  Object.entries(d.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
  );

describe("openapi examples", () => {
  it("every parameter has an example its schema accepts", async () => {
    const d = await doc();
    const bad: string[] = [];
    for (const [name, op] of operations(d)) {
      for (const p of op.parameters ?? []) {
        const where = `${name} ${p.in} ${p.name}`;
        const value = "example" in p ? p.example : p.schema?.example;
        if (value === undefined) bad.push(`${where}: no example`);
        else bad.push(...problems(d, p.schema ?? {}, value).map((m) => `${where} ${m}`));
      }
    }
    expect(bad).toEqual([]);
  });

  it("every request and response body has an example its schema accepts", async () => {
    const d = await doc();
    const bad: string[] = [];
    let bodies = 0;
    for (const [name, op] of operations(d)) {
      const media = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => [`request ${type}`, m] as const),
        ...Object.entries(op.responses).flatMap(([status, r]) =>
          Object.entries(r.content ?? {}).map(([type, m]) => [`${status} ${type}`, m] as const),
        ),
      ];
      for (const [where, m] of media) {
        bodies += 1;
        const { found, value } = exampleOf(d, m);
        if (!found) bad.push(`${name} ${where}: no example`);
        else bad.push(...problems(d, m.schema ?? {}, value).map((p) => `${name} ${where} ${p}`));
      }
    }
    expect(bad).toEqual([]);
    expect(bodies).toBeGreaterThan(100);
  });

  it("an error example carries the code of its status", async () => {
    const d = await doc();
    const bad: string[] = [];
    const codes: Record<string, string[]> = {
      "400": ["invalid_argument"],
      "401": ["unauthenticated"],
      "403": ["permission_denied"],
      "404": ["not_found"],
      "409": ["already_exists", "conflict"],
      "411": ["length_required"],
      "412": ["failed_precondition"],
      "413": ["payload_too_large"],
      "416": ["range_not_satisfiable"],
      "501": ["not_implemented"],
      "503": ["unavailable"],
    };
    for (const [name, op] of operations(d)) {
      for (const [status, r] of Object.entries(op.responses)) {
        const media = r.content?.["application/json"];
        if (!media || Number(status) < 400) continue;
        const { value } = exampleOf(d, media);
        const code = (value as { error?: { code?: string } } | undefined)?.error?.code ?? "";
        if (!codes[status]?.includes(code)) bad.push(`${name} ${status}: example code ${JSON.stringify(code)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("every request body example passes its route's validation", async () => {
    const d = await doc();
    const ns = freshNamespace("examples");
    const outcomes: string[] = [];
    for (const [name, op] of operations(d)) {
      const media = op.requestBody?.content["application/json"];
      if (!media) continue;
      const [method = "", template = ""] = name.split(" ");
      const path = template.replace(/\{(\w+)\}/g, (_m, param: string) => {
        const p = op.parameters?.find((q) => q.in === "path" && q.name === param);
        return encodeURIComponent(param === "ns" ? ns : String(p?.schema?.example ?? ""));
      });
      const res = await call(method, path, { json: exampleOf(d, media).value });
      const body = (await res.json().catch(() => null)) as { error?: { message: string } } | null;
      if (body?.error?.message.startsWith("invalid body")) outcomes.push(`${name}: ${body.error.message}`);
    }
    expect(outcomes).toEqual([]);
  });

  it("the checker itself rejects a wrong example", async () => {
    const d = await doc();
    const lease = { $ref: "#/components/schemas/Lease" };
    expect(problems(d, lease, { id: "a", createdAt: "t", labels: {}, expiresAt: null })).toEqual([]);
    expect(problems(d, lease, { id: "a", createdAt: "t", labels: {} })).toEqual(["$.expiresAt: required but missing"]);
    expect(problems(d, lease, { id: 1, createdAt: "t", labels: { a: 2 }, expiresAt: null })).toEqual([
      '$.id: 1 is not "string"',
      '$.labels.a: 2 is not "string"',
    ]);
  });
});
