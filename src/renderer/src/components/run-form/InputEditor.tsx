// The run input, as a form made from the graph's input schema or as JSON (tabs). Both edit the same JSON text,
// so they stay in step: the form reads the parsed text and writes it back formatted.
import { useMemo, useState } from "react";
import type { JsonObject } from "../../../../shared/encoding";
import type { JsonSchema } from "../../../../shared/graph";
import type { Parsed } from "../../lib/json-input";
import { formFieldsOf, formIsUseful } from "../../lib/schema-form";
import { SubTabs } from "../SubTabs";
import { SchemaForm } from "./SchemaForm";

type Tab = "form" | "json";
const TABS: [Tab, string][] = [
  ["form", "Form"],
  ["json", "JSON"],
];

interface Props {
  text: string;
  parsed: Parsed;
  onText: (text: string) => void;
  schema: JsonSchema | undefined;
  onProblem: (key: string, error: string | null) => void;
  /** Labels the tabs (the composer's "Input" heading). */
  labelledBy: string;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

export function InputEditor({ text, parsed, onText, schema, onProblem, labelledBy }: Props) {
  const fields = useMemo(() => formFieldsOf(schema), [schema]);
  // The user's pick holds across graphs; until then the form is shown when it has a real field to show.
  const [picked, setPicked] = useState<Tab | null>(null);
  const tab: Tab = fields.length === 0 ? "json" : (picked ?? (formIsUseful(fields) ? "form" : "json"));
  const tabs = fields.length === 0 ? TABS.filter(([id]) => id === "json") : TABS;

  return (
    <>
      <SubTabs prefix="input" tabs={tabs} selected={tab} onSelect={setPicked} labelledBy={labelledBy} className="subtabs input-tabs" />
      <div role="tabpanel" id="input-panel" aria-labelledby={`input-tab-${tab}`} data-tab={tab}>
        {tab === "json" ? (
          <textarea
            id="run-input"
            aria-label="Input (JSON)"
            className="code-input"
            data-testid="run-input"
            spellCheck={false}
            value={text}
            onChange={(e) => {
              // Typing here picks this tab: a form that appears later (schemas arriving) does not take over.
              setPicked((p) => p ?? "json");
              onText(e.target.value);
            }}
            aria-invalid={!parsed.ok}
            aria-describedby={parsed.ok ? undefined : "run-problems"}
            rows={6}
          />
        ) : parsed.ok && isObject(parsed.value) ? (
          <SchemaForm fields={fields} value={parsed.value} onChange={(next) => onText(JSON.stringify(next, null, 2))} onProblem={onProblem} />
        ) : (
          <div className="info-box small" data-testid="form-unavailable">
            {parsed.ok ? "The input is not a JSON object, so it has no fields to show." : "The input is not valid JSON."}{" "}
            <button type="button" className="link" onClick={() => setPicked("json")}>
              Edit it as JSON
            </button>
          </div>
        )}
      </div>
    </>
  );
}
