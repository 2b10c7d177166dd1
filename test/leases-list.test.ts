import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { call, expectError, freshNamespace, json } from "./helpers";

type Page = { leases: { id: string; labels: Record<string, string> }[]; nextCursor: string | null };
const base = (ns: string) => `/v1/namespaces/${ns}/leases`;

async function list(ns: string, query: string): Promise<Page> {
  const res = await json<Page>("GET", `${base(ns)}?${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

// containerd's lease-list table: three leases; lease2's empty label2 is dropped on write.
async function seedContainerdTable(): Promise<string> {
  const ns = freshNamespace();
  for (const [id, labels] of [
    ["lease1", { label1: "value1", label3: "other" }],
    ["lease2", { label1: "value1", label2: "", label3: "other" }],
    ["lease3", { label1: "value2", label2: "something" }],
  ] as const) {
    expect((await json("POST", base(ns), { json: { id, labels } })).status).toBe(201);
  }
  return ns;
}

const table: [string[], string[]][] = [
  [[], ["lease1", "lease2", "lease3"]],
  [["id==lease1"], ["lease1"]],
  [
    ["id==lease1", "id==lease2"],
    ["lease1", "lease2"],
  ],
  [["labels.label1==value1"], ["lease1", "lease2"]],
  [["labels.label1!=value1"], ["lease3"]],
  [["labels.label2"], ["lease3"]],
  [["labels.label2!=something"], ["lease1", "lease2"]],
  [["labels.label1==value1,labels.label3==other"], ["lease1", "lease2"]],
  [["labels.label1==value1,labels.label2"], []],
  [["id~=^lease[12]$"], ["lease1", "lease2"]],
  [["id~=/^lease[13]$/"], ["lease1", "lease3"]],
  [['labels."label1"==value2'], ["lease3"]],
  [['labels.label1=="value1"'], ["lease1", "lease2"]],
  [["labels.nothing"], []],
  [["labels.nothing!=x"], ["lease1", "lease2", "lease3"]],
  [["name==lease1"], []],
];

it.each(table)("list: filters %j match %j", async (filters, expected) => {
  const ns = await seedContainerdTable();
  const query = filters.map((f) => `filter=${encodeURIComponent(f)}`).join("&");
  expect((await list(ns, query)).leases.map((l) => l.id)).toEqual(expected);
});

it.each([["id=="], ["labels.ns/key==value"], ["id~=["], ["id==a,"], ['"unterminated']])(
  "list: filter %s is invalid_argument with a position",
  async (filter) => {
    const ns = freshNamespace();
    const msg = await expectError(
      await call("GET", `${base(ns)}?filter=${encodeURIComponent(filter)}`),
      400,
      "invalid_argument",
    );
    expect(msg).toMatch(/position \d+/);
  },
);

it("list: sorted by id in byte order", async () => {
  const ns = freshNamespace();
  for (const id of ["b", "B", "a", "a.b", "A-1", "0"]) await json("POST", base(ns), { json: { id } });
  expect((await list(ns, "")).leases.map((l) => l.id)).toEqual(["0", "A-1", "B", "a", "a.b", "b"]);
});

it("list: pages never skip or repeat while leases are inserted between pages", async () => {
  const ns = freshNamespace();
  const original = Array.from({ length: 25 }, (_, i) => `lease-${String(i * 2).padStart(3, "0")}`);
  for (const id of original) await json("POST", base(ns), { json: { id, labels: { keep: "yes" } } });

  for (const filter of ["", "&filter=labels.keep"]) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: Page = await list(ns, `limit=4${filter}${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.leases.map((l) => l.id));
      cursor = page.nextCursor;
      // Insert leases before, inside and after the part already listed.
      for (const id of [
        `lease-${String(round * 2 + 1).padStart(3, "0")}-x${filter.length}`,
        `zz-${round}${filter.length}`,
      ]) {
        await json("POST", base(ns), { json: { id, labels: { keep: "yes" } } });
      }
      round++;
    } while (cursor && round < 100);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen).toContain(id);
    expect([...seen].sort()).toEqual(seen);
  }
});

it("list: limit bounds, bad cursor and bad filter are invalid_argument", async () => {
  const ns = freshNamespace();
  for (const q of ["limit=0", "limit=1001", "limit=x", "cursor=%%%", "cursor=WyJhIiwiYiJd"]) {
    await expectError(await call("GET", `${base(ns)}?${q}`), 400, "invalid_argument");
  }
});

it("list: a selective filter over many leases still reaches every match", async () => {
  const ns = freshNamespace();
  const resources = Array.from({ length: 300 }, (_, i) => `l${String(i).padStart(4, "0")}`);
  for (const id of resources) {
    await json("POST", base(ns), { json: { id, labels: i(id) % 97 === 0 ? { pick: "me" } : {} } });
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await list(ns, `limit=1&filter=labels.pick==me${cursor ? `&cursor=${cursor}` : ""}`);
    seen.push(...page.leases.map((l) => l.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual(["l0000", "l0097", "l0194", "l0291"]);
});

const i = (id: string) => Number.parseInt(id.slice(1), 10);

// Filters D1 evaluates (`==`, `!=`, presence) against filters the isolate matches (`~=`): same answers.
it.each<[string, string[]]>([
  ['labels."containerd.io/gc.flat"', ["dotted"]],
  ['labels."a/b.c"==x', ["dotted"]],
  ['labels."a/b.c"~=^x$', ["dotted"]],
  ['labels."q\\"k"==v', ["quoted"]],
  ["labels.team!=ci", ["dotted", "none", "quoted"]],
  ["labels.team!=ci,labels.team", []],
  ["labels.team==ci,id!=both", ["ci"]],
  ["id==none,labels.team", []],
])("list: filter %s, in D1 or in the isolate, matches %j", async (filter, expected) => {
  const ns = freshNamespace();
  for (const [id, labels] of [
    ["both", { team: "ci", "containerd.io/gc.flat": "" }],
    ["ci", { team: "ci" }],
    ["dotted", { "containerd.io/gc.flat": "1", "a/b.c": "x" }],
    ["none", {}],
    ["quoted", { 'q"k': "v" }],
  ] as const) {
    expect((await json("POST", base(ns), { json: { id, labels } })).status).toBe(201);
  }
  const page = await list(ns, `filter=${encodeURIComponent(filter)}`);
  expect(page.leases.map((l) => l.id)).toEqual(expected);
  expect(page.nextCursor).toBeNull();
});

it("list: a filtered page reads a bounded window; a selective filter over 12,000 leases pages to its matches", async () => {
  const ns = freshNamespace();
  const rows = Array.from({ length: 12_000 }, (_, n) => [
    `w${String(n).padStart(5, "0")}`,
    JSON.stringify(n % 5000 === 4999 ? { pick: "me" } : { pick: "no" }),
  ]);
  for (let at = 0; at < rows.length; at += 1000) {
    await env.DB.prepare(
      `INSERT INTO leases (namespace, id, created_at, labels, expires_at, flat)
       SELECT ?1, value ->> '$[0]', 0, value ->> '$[1]', NULL, 0 FROM json_each(?2)`,
    )
      .bind(ns, JSON.stringify(rows.slice(at, at + 1000)))
      .run();
  }
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await list(ns, `limit=10&filter=labels.pick==me${cursor ? `&cursor=${cursor}` : ""}`);
    pages.push(page.leases.map((l) => l.id));
    cursor = page.nextCursor;
  } while (cursor);
  // Each page scans at most 5000 leases: the matches come one window at a time.
  expect(pages).toEqual([["w04999"], ["w09999"], []]);
});
