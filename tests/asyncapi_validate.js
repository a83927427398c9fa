// Validates an AsyncAPI document with the AsyncAPI project's own parser (@asyncapi/parser,
// found through NODE_PATH) and prints every diagnostic as one JSON line:
// {"severity": "error|warning|info|hint", "code": ..., "message": ..., "path": "a.b.c"}.
// Exit 0 when the parser ran (whatever it found), 2 when it could not run.
"use strict";
const fs = require("fs");

async function main() {
  const { Parser } = require("@asyncapi/parser");
  const text = fs.readFileSync(process.argv[2], "utf8");
  const diagnostics = await new Parser().validate(text);
  const severities = ["error", "warning", "info", "hint"];
  for (const d of diagnostics) {
    const line = {
      severity: severities[d.severity] || String(d.severity),
      code: String(d.code),
      message: d.message,
      path: (d.path || []).join("."),
    };
    process.stdout.write(JSON.stringify(line) + "\n");
  }
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(2);
});
