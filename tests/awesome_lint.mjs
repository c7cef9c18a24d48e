// Lint a Markdown file with awesome-lint's rules, less the two that judge the repository
// rather than the document: awesome-github (asks the GitHub API about the repo's remote)
// and awesome-contributing (looks for a contributing.md beside the file).
// Usage: node awesome_lint.mjs NODE_MODULES_DIR FILE ; prints messages, exits 1 on any error.
import path from "node:path";
import {pathToFileURL} from "node:url";

const [modules, file] = process.argv.slice(2);
const load = (spec) => import(pathToFileURL(path.join(modules, spec)).href);
const {createConfig} = await load("awesome-lint/config.js");
const {createRules} = await load("awesome-lint/rules/index.js");
const {remark} = await load("remark/index.js");
const {readSync} = await load("to-vfile/index.js");

const skipped = new Set(["remark-lint:awesome-github", "remark-lint:awesome-contributing"]);
const rules = createRules().filter(([rule]) => !skipped.has(rule.name));
const vfile = readSync(path.resolve(file));
await remark().use(createConfig(rules)).process(vfile);
let errors = 0;
for (const message of vfile.messages) {
  const warnOnly = message.ruleId === "awesome-spell-check";
  if (!warnOnly) errors += 1;
  console.log(`${message.line}:${message.column} ${message.ruleId} ${message.reason}${warnOnly ? " (warning)" : ""}`);
}
console.log(`${errors} error(s) from ${createConfig(rules).length} rules`);
process.exit(errors ? 1 : 0);
