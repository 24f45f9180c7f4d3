// The run composer: input (prefilled from the graph's sample input or schema) and config as JSON, checked
// before sending; Run, Step, Cancel, and Continue when paused at a breakpoint.
import { useEffect, useMemo, useState } from "react";
import { checkSchema, parseJson, skeletonFrom } from "../lib/json-input";
import { runGraphId, startRun } from "../lib/actions";
import { selectGraph, useGraphs } from "../stores/graphs";
import { isLive, useRun } from "../stores/run";
import { selectCurrentThread, useThreads } from "../stores/threads";

export function RunComposer() {
  const graph = useGraphs(selectGraph);
  const detail = useGraphs((s) => (s.selectedId ? s.details[s.selectedId] : undefined));
  const thread = useThreads(selectCurrentThread);
  const pausedBefore = useThreads((s) => s.pausedBefore);
  const active = useRun((s) => s.active);
  const starting = useRun((s) => s.starting);
  const cancel = useRun((s) => s.cancel);
  const [input, setInput] = useState("");
  const [config, setConfig] = useState("{}");
  const [showConfig, setShowConfig] = useState(false);

  const initial = useMemo(() => {
    const value = graph?.sampleInput ?? skeletonFrom(detail?.schemas.input);
    return JSON.stringify(value ?? {}, null, 2);
  }, [graph, detail]);
  useEffect(() => setInput(initial), [initial]);

  const parsedInput = useMemo(() => parseJson(input, "Input"), [input]);
  const parsedConfig = useMemo(() => parseJson(config, "Config"), [config]);
  const problems = useMemo(() => {
    const out: string[] = [];
    if (!parsedInput.ok) out.push(parsedInput.error);
    else out.push(...checkSchema(parsedInput.value, detail?.schemas.input));
    if (!parsedConfig.ok) out.push(parsedConfig.error);
    else if (typeof parsedConfig.value !== "object" || parsedConfig.value === null || Array.isArray(parsedConfig.value)) {
      out.push("Config: must be a JSON object, e.g. {\"recursion_limit\": 50}");
    }
    return out;
  }, [parsedInput, parsedConfig, detail]);

  const live = isLive(active);
  const paused = thread?.status === "interrupted" && thread.interrupts.length === 0;
  const graphMismatch = thread?.graphId && graph && thread.graphId !== graph.id;
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
        <strong>Input</strong>
        <span className="muted small">
          {thread ? `on ${thread.threadId.slice(0, 12)}` : "a new thread"} · {runGraphId() ?? "no graph"}
        </span>
        <button type="button" className="link" onClick={() => setInput(initial)} title="Restore the sample input">
          reset
        </button>
      </div>
      {graphMismatch && (
        <div className="warn-box small">This thread ran {thread.graphId}; runs on it use {thread.graphId}.</div>
      )}
      <textarea
        className="code-input"
        data-testid="run-input"
        spellCheck={false}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        aria-invalid={!parsedInput.ok}
        rows={6}
      />
      <button type="button" className="link small" onClick={() => setShowConfig(!showConfig)} aria-expanded={showConfig}>
        {showConfig ? "▾" : "▸"} Config
      </button>
      {showConfig && (
        <textarea
          className="code-input"
          data-testid="run-config"
          spellCheck={false}
          value={config}
          onChange={(e) => setConfig(e.target.value)}
          rows={3}
        />
      )}
      {problems.length > 0 && (
        <ul className="problems" data-testid="input-errors" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
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
        <span className={`run-status status-${active?.status ?? "none"}`} data-testid="run-status" data-status={active?.status ?? "none"} data-run-id={active?.runId}>
          {active ? `${active.status}${active.cancelled ? " (cancelled)" : ""}` : "no run yet"}
          {live && <span className="spinner" />}
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
      {paused && <div className="info-box small" data-testid="paused-banner">Paused{pausedBefore.length ? ` before ${pausedBefore.join(", ")}` : " at a breakpoint"}: Continue runs on, Step runs one superstep.</div>}
    </form>
  );
}
