// The live event log of the open thread's runs: nodes, updates, interrupts, errors with the user's stack,
// console output and streamed tokens (one line of text per streamed message). Lines wrap at word
// boundaries and open to show everything; a filter keeps the kinds wanted.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { runSelectors, useRun, type LogEntry } from "../stores/run";
import { JsonTree } from "./JsonTree";
import { selectCapability, useSource } from "../stores/source";

const SHOWN = 400;

/** The filter's groups of event types. */
const KINDS = {
  nodes: ["node.started", "node.finished"],
  state: ["values", "checkpoint", "custom"],
  tokens: ["token"],
  console: ["console"],
  problems: ["interrupt", "error"],
  runs: ["run.created", "run.started", "run.finished"],
} as const satisfies Record<string, readonly LogEntry["type"][]>;
type Kind = keyof typeof KINDS;
const ALL = Object.keys(KINDS) as Kind[];

function kindOf(type: LogEntry["type"]): Kind {
  return ALL.find((k) => (KINDS[k] as readonly string[]).includes(type)) ?? "state";
}

// Entries never change once written (a token line is replaced by a new object), so each renders once.
const Entry = memo(function Entry({ entry }: { entry: LogEntry }) {
  const [open, setOpen] = useState(false);
  const time = entry.at.slice(11, 23);
  const where = entry.node ? [...entry.namespace.map((n) => n.split(":")[0]), entry.node].join(" › ") : null;
  return (
    <li className={`log-entry log-${entry.level} log-type-${entry.type.replace(".", "-")} ${entry.past ? "log-past" : ""} ${open ? "open" : ""}`} data-testid="log-entry" data-type={entry.type}>
      <button type="button" className="log-line" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="log-time">{time}</span>
        <span className="log-type">{entry.type}</span>
        {where && <span className="log-node">{where}</span>}
        <span className="log-summary">{entry.summary}</span>
      </button>
      {open && entry.detail !== undefined && (
        <div className="log-detail">{typeof entry.detail === "string" ? <pre>{entry.detail}</pre> : <JsonTree value={entry.detail} openDepth={2} />}</div>
      )}
    </li>
  );
});

export function EventLog() {
  const consoleOutput = useSource(selectCapability("console"));
  const log = useRun(runSelectors.log);
  const clear = useRun((s) => s.clearLog);
  const [hidden, setHidden] = useState<ReadonlySet<Kind>>(new Set());
  const list = useRef<HTMLUListElement>(null);
  const stick = useRef(true);
  const shown = useMemo(() => log.filter((e) => !hidden.has(kindOf(e.type))).slice(-SHOWN), [log, hidden]);
  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown]);
  const toggle = (k: Kind) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  return (
    <section className="event-log" data-testid="event-log" aria-label="Events">
      <header>
        <strong>Events</strong>
        <span className="muted small">{log.length ? `${log.length} event${log.length === 1 ? "" : "s"}${shown.length < log.length ? `, ${shown.length} shown` : ""}` : ""}</span>
        <button type="button" className="link small" onClick={clear} disabled={!log.length}>
          clear
        </button>
      </header>
      <div className="log-filter" role="group" aria-label="Show events of kind">
        {ALL.map((k) => {
          // A source that captures no console output (an Agent Server) has none to show: the chip says why.
          const off = k === "console" && !consoleOutput.available ? consoleOutput.reason : null;
          return (
            <button
              key={k}
              type="button"
              className={`chip ${hidden.has(k) || off ? "" : "on"}`}
              aria-pressed={!hidden.has(k) && !off}
              data-testid={`log-filter-${k}`}
              disabled={off !== null}
              title={off ?? undefined}
              onClick={() => toggle(k)}
            >
              {k}
            </button>
          );
        })}
      </div>
      {log.length === 0 ? (
        <div className="empty small">Events of the next run on this thread stream here.</div>
      ) : (
        <ul
          ref={list}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {shown.map((entry) => (
            <Entry key={entry.key} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}
