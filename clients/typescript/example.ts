// Calls GET /api/me with a bearer token and prints the caller's profile.
// Type-checked in CI (tsc --noEmit). To run it against a local API:
//   ./lockin run                                    (another terminal)
//   cd clients/typescript && npm ci && npx tsc && \
//   LOCKIN_URL=http://localhost:8080 LOCKIN_TOKEN=$(../../lockin token alice) node dist/example.js
import { createLockinClient, type Problem, type Schemas } from "./src/index.js";

async function main(): Promise<number> {
  const api = createLockinClient({
    baseUrl: process.env.LOCKIN_URL ?? "http://localhost:8080",
    token: process.env.LOCKIN_TOKEN ?? "",
  });

  const { data, error, response } = await api.GET("/api/me");
  if (error) {
    // every error answer is a Problem: `detail` is fit to show to the user
    const problem: Problem = error;
    console.error(`GET /api/me answered ${response.status}: ${problem.detail}`);
    return 1;
  }
  const me: Schemas["Profile"] = data;
  console.log(`GET /api/me answered ${response.status}: ${me.display_name} (${me.id}), ${me.memberships.length} group(s)`);
  for (const membership of me.memberships) {
    console.log(`  ${membership.group_name}: ${membership.role}, ${membership.status}`);
  }
  return 0;
}

main().then((code) => process.exit(code), (failure: unknown) => {
  console.error(failure);
  process.exit(1);
});
