// When the open thread waits on `interrupt()`: what it asks, and a form to resume it with a value.
import { useEffect, useState } from "react";
import { tagOf, type JsonValue } from "../../../shared/encoding";
import { parseJson } from "../lib/json-input";
import { startRun } from "../lib/actions";
import { isObject } from "../lib/values";
import { runSelectors, useRun } from "../stores/run";
import { threadSelectors, useThreads } from "../stores/threads";
import { JsonTree } from "./JsonTree";

function choicesOf(value: JsonValue): string[] {
  if (!isObject(value) || tagOf(value) || !Array.isArray(value.choices)) return [];
  return value.choices.filter((c): c is string => typeof c === "string");
}

export function InterruptPanel() {
  const thread = useThreads(threadSelectors.current);
  const live = useRun(runSelectors.live);
  const interrupts = thread?.status === "interrupted" ? thread.interrupts : [];
  const first = interrupts[0];
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const firstKey = first ? JSON.stringify(first) : "";

  useEffect(() => {
    const choices = first ? choicesOf(first.value) : [];
    setText(choices[0] !== undefined ? JSON.stringify(choices[0]) : "");
    setError(null);
    // Reset the form only when a different interrupt arrives.
  }, [firstKey]);

  if (!first) return null;
  const resume = (raw: string) => {
    const parsed = parseJson(raw, "Resume value");
    if (!parsed.ok) {
      setError(`${parsed.error}. A text answer needs quotes, e.g. "approve".`);
      return;
    }
    setError(null);
    void startRun({ command: { resume: parsed.value } });
  };
  return (
    <section className="interrupt-panel" data-testid="interrupt-panel" aria-label="Interrupted: resume the thread">
      <header>
        <strong>Interrupted</strong>
        <span className="muted small">the thread waits for a value to resume with</span>
      </header>
      {interrupts.map((i, n) => (
        <div key={i.id ?? n} className="interrupt-value" data-testid="interrupt-value">
          {i.id && <div className="muted small mono">id {i.id}</div>}
          <JsonTree value={i.value} openDepth={2} />
        </div>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          resume(text);
        }}
      >
        {choicesOf(first.value).length > 0 && (
          <div className="choices">
            {choicesOf(first.value).map((c) => (
              <button key={c} type="button" className="chip" onClick={() => setText(JSON.stringify(c))}>
                {c}
              </button>
            ))}
          </div>
        )}
        <label htmlFor="resume-input" className="small">
          Resume with (JSON)
        </label>
        <textarea
          id="resume-input"
          className="code-input"
          data-testid="resume-input"
          rows={2}
          spellCheck={false}
          value={text}
          placeholder='"approve" or {"action": "edit", "draft": "…"}'
          onChange={(e) => setText(e.target.value)}
        />
        {error && (
          <div className="problems" role="alert" data-testid="resume-error">
            {error}
          </div>
        )}
        <button type="submit" className="primary" data-testid="resume-submit" disabled={live}>
          Resume
        </button>
      </form>
    </section>
  );
}
