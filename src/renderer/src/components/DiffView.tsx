// Added, removed and changed paths, before and after side by side.
import type { JsonValue } from "../../../shared/encoding";
import { formatPath, type DiffEntry } from "../../../shared/types";
import { JsonTree } from "./JsonTree";

function Side({ value, present }: { value: JsonValue | undefined; present: boolean }) {
  if (!present) return <span className="muted">—</span>;
  return <JsonTree value={value ?? null} openDepth={0} testId="diff-value" />;
}

export function DiffView({ entries, empty = "No differences." }: { entries: DiffEntry[]; empty?: string }) {
  if (entries.length === 0) return <div className="empty small" data-testid="diff-empty">{empty}</div>;
  return (
    <div className="diff" data-testid="diff-view">
      <div className="diff-head">
        <span>path</span>
        <span>before</span>
        <span>after</span>
      </div>
      {entries.map((e, i) => (
        <div key={i} className={`diff-row diff-${e.kind}`} data-testid="diff-entry" data-kind={e.kind} data-path={formatPath(e.path)}>
          <span className="diff-path">
            <span className={`kind kind-${e.kind}`}>{e.kind === "added" ? "+" : e.kind === "removed" ? "−" : "~"}</span>
            {formatPath(e.path) || "(root)"}
          </span>
          <span className="diff-before">
            <Side value={e.before} present={e.kind !== "added"} />
          </span>
          <span className="diff-after">
            <Side value={e.after} present={e.kind !== "removed"} />
          </span>
        </div>
      ))}
    </div>
  );
}
