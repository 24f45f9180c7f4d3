import type { Rule } from "eslint";
declare const plugin: { rules: { layers: Rule.RuleModule; "core-layers": Rule.RuleModule; "agent-api": Rule.RuleModule } };
export default plugin;
