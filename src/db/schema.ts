// Every table of Leasehold, gathered for drizzle-kit and for typed queries. Each room owns its tables.
export * from "../auth/schema";
export * from "../content/schema";
export * from "../gc/schema";
export * from "../leases/schema";
