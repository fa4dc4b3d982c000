// One markdown table row for a store's results of one conformance suite (one folder per scenario, each with checks.json),
// and the failed or warned checks on stderr. Exits 1 on a failed check or when a scenario left no results.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [store, suite, dir] = process.argv.slice(2);
const scenarios = existsSync(dir) ? readdirSync(dir) : [];
const counts = { SUCCESS: 0, FAILURE: 0, WARNING: 0, INFO: 0 };
let missing = 0;
for (const scenario of scenarios) {
  const file = join(dir, scenario, 'checks.json');
  if (!existsSync(file)) {
    missing++;
    console.error(`${store} (${suite}): ${scenario} left no checks`);
    continue;
  }
  for (const check of JSON.parse(readFileSync(file, 'utf8'))) {
    counts[check.status] = (counts[check.status] ?? 0) + 1;
    if (check.status === 'FAILURE' || check.status === 'WARNING') {
      console.error(`${store} (${suite}): ${scenario} ${check.status} ${check.id}: ${check.errorMessage ?? ''}`);
    }
  }
}
console.log(`| ${store} | ${suite} | ${scenarios.length} | ${counts.SUCCESS} | ${counts.FAILURE + missing} | ${counts.WARNING} |`);
process.exit(counts.FAILURE + missing > 0 || scenarios.length === 0 ? 1 : 0);
