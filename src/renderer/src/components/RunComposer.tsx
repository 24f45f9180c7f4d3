// The run composer: input (prefilled from the graph's sample input or schema) as a form or JSON, config as
// JSON, checked before sending; Run, Step, Cancel, and Continue when paused at a breakpoint.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { checkSchema, parseJson, skeletonFrom } from "../lib/json-input";
import { startRun } from "../lib/actions";
import { InputEditor } from "./run-form/InputEditor";
import { graphSelectors, useGraphs } from "../stores/graphs";
import { isLive, runSelectors, runStatusLabel, useRun } from "../stores/run";
import { useShownGraph } from "../stores/shown-graph";
import { selectReadOnly, useSources } from "../stores/sources";
import { threadLabel, threadSelectors, useThreads } from "../stores/threads";

/** "Pauses before review; after draft" from a graph's breakpoints, or null when it has none. */
function willPause(before: string[] | "*" | undefined, after: string[] | "*" | undefined): string | null {
  const name = (list: string[] | "*") => (list === "*" ? "every node" : list.join(", "));
  const parts = [before && before.length ? `before ${name(before)}` : "", after && after.length ? `after ${name(after)}` : ""].filter(Boolean);
  return parts.length ? `Runs pause ${parts.join("; ")} (breakpoints).` : null;
}

export function RunComposer() {
  const shown = useShownGraph();
  const graph = shown.info;
  const detail = shown.detail ?? undefined;
  const breakpoints = useGraphs(graphSelectors.breakpoints(shown.id));
  const thread = useThreads(threadSelectors.current);
  const pausedBefore = useThreads(threadSelectors.pausedBefore);
  const active = useRun(runSelectors.active);
  const starting = useRun(runSelectors.starting);
  const cancel = useRun((s) => s.cancel);
  const readOnly = useSources(selectReadOnly);
  const [input, setInput] = useState("");
  const [config, setConfig] = useState("{}");
  const [showConfig, setShowConfig] = useState(false);
  // Text in a form field that is not a value yet ("1.", half a JSON object), by input key.
  const [formProblems, setFormProblems] = useState<Record<string, string>>({});
  const onFormProblem = useCallback((key: string, error: string | null) => {
    setFormProblems((known) => {
      if ((known[key] ?? null) === error) return known;
      const { [key]: _fixed, ...rest } = known;
      return error === null ? rest : { ...rest, [key]: error };
    });
  }, []);

  const initial = useMemo(() => {
    const value = graph?.sampleInput ?? skeletonFrom(detail?.schemas.input);
    return JSON.stringify(value ?? {}, null, 2);
  }, [graph, detail]);
  // Another graph starts from its own input; the same graph's schemas arriving late (a remote server's
  // getSchemas, TypeScript types read in the background) replace only an input nobody has edited, and
  // not while the user is in it (keystrokes would land after the new text).
  const seeded = useRef<{ graphId: string | null; text: string } | null>(null);
  useEffect(() => {
    const last = seeded.current;
    const inInput = document.activeElement instanceof HTMLElement && document.activeElement.closest("#input-panel") !== null;
    setInput((current) => (!last || last.graphId !== shown.id || (current === last.text && !inInput) ? initial : current));
    seeded.current = { graphId: shown.id, text: initial };
  }, [initial, shown.id]);

  const parsedInput = useMemo(() => parseJson(input, "Input"), [input]);
  const parsedConfig = useMemo(() => parseJson(config, "Config"), [config]);
  const problems = useMemo(() => {
    const out: string[] = Object.values(formProblems);
    if (!parsedInput.ok) out.push(parsedInput.error);
    else out.push(...checkSchema(parsedInput.value, detail?.schemas.input));
    if (!parsedConfig.ok) out.push(parsedConfig.error);
    else if (typeof parsedConfig.value !== "object" || parsedConfig.value === null || Array.isArray(parsedConfig.value)) {
      out.push("Config: must be a JSON object, e.g. {\"recursion_limit\": 50}");
    }
    return out;
  }, [parsedInput, parsedConfig, detail, formProblems]);

  const live = isLive(active);
  const paused = thread?.status === "interrupted" && thread.interrupts.length === 0;
  const pauses = willPause(breakpoints?.before, breakpoints?.after);
  const configValue = parsedConfig.ok && typeof parsedConfig.value === "object" && parsedConfig.value && !Array.isArray(parsedConfig.value) ? parsedConfig.value : {};

  const run = (step: boolean) => {
    if (problems.length || !parsedInput.ok) return;
    void startRun({ input: parsedInput.value, config: configValue, step });
  };

  return (
    <form
      className="composer"
      data-testid="run-composer"
      onSubmit={(e) => {
        e.preventDefault();
        run(false);
      }}
    >
      <div className="composer-head">
        <strong id="run-input-heading">Input</strong>
        <span className="muted small composer-target" data-testid="run-target">
          {thread ? `on ${threadLabel(thread)}` : "a new thread"} · {shown.id ?? "no graph"}
        </span>
        <button type="button" className="link" onClick={() => setInput(initial)} title="Restore the sample input">
          reset
        </button>
      </div>
      {readOnly && (
        <div className="muted small" data-testid="run-read-only">
          {thread
            ? "This store is opened read-only: Run copies the thread into Threadline's own store first, and runs it there."
            : "This store is opened read-only: Run starts a new thread in Threadline's own store."}
        </div>
      )}
      {detail?.schemas.pending && (
        <div className="muted small" data-testid="schemas-pending">
          Reading the graph&apos;s TypeScript types for a form…
        </div>
      )}
      {detail?.schemas.problem && (
        <div className="muted small" data-testid="schemas-problem">
          No form from the graph&apos;s types: {detail.schemas.problem}
        </div>
      )}
      <InputEditor text={input} parsed={parsedInput} onText={setInput} schema={detail?.schemas.input} onProblem={onFormProblem} labelledBy="run-input-heading" />
      <button type="button" className="link small" onClick={() => setShowConfig(!showConfig)} aria-expanded={showConfig} aria-controls="run-config">
        {showConfig ? "▾" : "▸"} Config
      </button>
      {showConfig && (
        <textarea
          id="run-config"
          aria-label="Config (JSON)"
          className="code-input"
          data-testid="run-config"
          spellCheck={false}
          value={config}
          onChange={(e) => setConfig(e.target.value)}
          rows={3}
        />
      )}
      {problems.length > 0 && (
        // The alert role on a wrapper: on the list itself it would hide the list from screen readers.
        <div role="alert">
          <ul className="problems" id="run-problems" data-testid="input-errors">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="composer-actions">
        <button type="submit" className="primary" data-testid="run-submit" disabled={live || starting || problems.length > 0}>
          {starting ? "Starting…" : "Run"}
        </button>
        <button
          type="button"
          data-testid="run-step"
          disabled={live || starting || (!paused && problems.length > 0)}
          title="Run one superstep, then pause"
          onClick={() => (paused ? void startRun({ step: true }) : run(true))}
        >
          Step
        </button>
        {paused && (
          <button type="button" data-testid="run-continue" disabled={live || starting} onClick={() => void startRun({})}>
            Continue
          </button>
        )}
        <button type="button" data-testid="run-cancel" disabled={!live} onClick={() => void cancel()}>
          Cancel
        </button>
        <span
          className={`run-status status-${active?.cancelled ? "cancelled" : (active?.status ?? "none")}`}
          data-testid="run-status"
          data-status={active?.status ?? "none"}
          data-cancelled={active?.cancelled || undefined}
          data-run-id={active?.runId}
          role="status"
          aria-live="polite"
          aria-label={`Run status: ${runStatusLabel(active)}`}
        >
          {runStatusLabel(active)}
          {live && <span className="spinner" aria-hidden="true" />}
        </span>
      </div>
      {active?.error && (
        <div className="user-error-box" data-testid="run-error" role="alert">
          <div>
            <strong>{active.error.node ? `${active.error.node}: ` : ""}</strong>
            {active.error.className}: {active.error.message}
          </div>
          {active.error.stack && (
            <details>
              <summary className="small">stack</summary>
              <pre>{active.error.stack}</pre>
            </details>
          )}
        </div>
      )}
      {pauses && !paused && (
        <div className="info-box small" data-testid="will-pause">
          {pauses}
        </div>
      )}
      {paused && <div className="info-box small" data-testid="paused-banner">Paused{pausedBefore.length ? ` before ${pausedBefore.join(", ")}` : " at a breakpoint"}: Continue runs on, Step runs one superstep.</div>}
    </form>
  );
}
