#!/usr/bin/env bash
# npm audit of the production dependencies: fails on any high or critical advisory.
# Where the registry does not serve the advisory endpoint (some mirrors answer 405), it says
# so loudly and passes: the audit is then up to a machine that can reach it (SECURITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# AUDIT_REPORT_FILE: a saved `npm audit --json` report to judge instead (to test this script).
if [ -n "${AUDIT_REPORT_FILE:-}" ]; then report=$(cat "$AUDIT_REPORT_FILE"); else
  report=$(npm audit --omit=dev --json 2>/dev/null || true)
fi
AUDIT_REPORT="$report" node --input-type=module -e '
const report = JSON.parse(process.env.AUDIT_REPORT || "{}");
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const why = String(report.message ?? report.error?.summary ?? "no report").replace(/\S+:\/\/\S+/g, "the registry");
  console.log(`npm audit: the advisory service cannot be reached from here (${why}); not audited`);
  process.exit(0);
}
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
if (serious > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {}))
    if (v.severity === "high" || v.severity === "critical") console.log(`  ${v.severity}: ${name} ${v.range}`);
  process.exit(1);
}
'
