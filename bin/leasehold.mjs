#!/usr/bin/env node
// `npx leasehold`: runs the TypeScript CLI directly. Node 22.18+ strips types natively, so a fresh
// clone needs no build step; the client and CLI import each other with explicit `.ts` extensions.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `leasehold needs Node.js 22.18 or newer (this is ${process.version}); run it as \`npx leasehold\`, which uses the project's Node.\n`,
  );
  process.exit(1);
}

const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv);
