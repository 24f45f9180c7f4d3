// The live event log of the open thread's runs: nodes, updates, interrupts, errors with the user's stack,
// console output and streamed tokens.
import { memo, useEffect, useRef, useState } from "react";
import { useRun, type LogEntry } from "../stores/run";
import { JsonTree } from "./JsonTree";

const SHOWN = 400;

// Entries never change once written (a token line is replaced by a new object), so each renders once.
const Entry = memo(function Entry({ entry }: { entry: LogEntry }) {
  const [open, setOpen] = useState(false);
  const time = entry.at.slice(11, 23);
  return (
    <li className={`log-entry log-${entry.level} log-type-${entry.type.replace(".", "-")} ${entry.past ? "log-past" : ""}`} data-testid="log-entry" data-type={entry.type}>
      <button type="button" className="log-line" onClick={() => entry.detail !== undefined && setOpen(!open)} aria-expanded={entry.detail !== undefined ? open : undefined}>
        <span className="log-time">{time}</span>
        <span className="log-type">{entry.type}</span>
        {entry.node && <span className="log-node">{[...entry.namespace.map((n) => n.split(":")[0]), entry.node].join(" › ")}</span>}
        <span className="log-summary">{entry.summary}</span>
      </button>
      {open && entry.detail !== undefined && (
        <div className="log-detail">{typeof entry.detail === "string" ? <pre>{entry.detail}</pre> : <JsonTree value={entry.detail} openDepth={2} />}</div>
      )}
    </li>
  );
});

export function EventLog() {
  const log = useRun((s) => s.log);
  const clear = useRun((s) => s.clearLog);
  const list = useRef<HTMLUListElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [log]);
  const shown = log.slice(-SHOWN);
  return (
    <section className="event-log" data-testid="event-log">
      <header>
        <strong>Events</strong>
        <span className="muted small">{log.length ? `${log.length} event${log.length === 1 ? "" : "s"}${log.length > SHOWN ? `, last ${SHOWN} shown` : ""}` : ""}</span>
        <button type="button" className="link small" onClick={clear} disabled={!log.length}>
          clear
        </button>
      </header>
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
