// Added, removed and changed paths as a table: path, before, after. A message in a list reads as
// `messages[3] AIMessage` (its id on hover) rather than by its long id.
import { useState } from "react";
import type { JsonValue } from "../../../shared/encoding";
import { formatPath, type DiffEntry, type PathSegment } from "../../../shared/types";
import { readMessage } from "../lib/messages";
import { isObject } from "../lib/values";
import { JsonTree } from "./JsonTree";

function Side({ value, present }: { value: JsonValue | undefined; present: boolean }) {
  if (!present) return <span className="muted" aria-label="nothing">—</span>;
  return <JsonTree value={value ?? null} openDepth={0} testId="diff-value" />;
}

function childAt(value: JsonValue | undefined, seg: PathSegment): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (typeof seg === "object") return Array.isArray(value) ? value[seg.index] : undefined;
  if (typeof seg === "number") return Array.isArray(value) ? value[seg] : undefined;
  return isObject(value) ? value[seg] : undefined;
}

/**
 * The path for reading: list items matched by id show their position and, for messages, their class
 * (looked up in `after`'s state, else in the entry's own value); the ids go to the hover title.
 */
export function readablePath(entry: DiffEntry, root?: JsonValue): { text: string; ids: string[] } {
  const ids: string[] = [];
  let node: JsonValue | undefined = root;
  const parts = entry.path.map((seg, i) => {
    node = childAt(node, seg);
    if (typeof seg !== "object") return formatPath([seg]).replace(/^(?=[A-Za-z_$])/, i === 0 ? "" : ".");
    ids.push(seg.id);
    const last = i === entry.path.length - 1;
    const own = node ?? (last ? (entry.after ?? entry.before) : undefined);
    const kind = own === undefined ? null : readMessage(own)?.kind;
    return `[${seg.index}]${kind ? ` ${kind}` : ""}`;
  });
  return { text: parts.join("") || "(root)", ids };
}

/** Rows drawn at first: a diff across a long thread can hold thousands of added messages. */
const SHOWN = 200;

/**
 * `total`/`onMore`: the engine sends a long diff a window at a time; past the entries it sent, "show
 * more" asks it for the next window.
 */
export function DiffView({ entries, empty = "No differences.", root, total = entries.length, onMore }: { entries: DiffEntry[]; empty?: string; root?: JsonValue; total?: number; onMore?: () => void }) {
  const [shown, setShown] = useState(SHOWN);
  if (entries.length === 0) return <div className="empty small" data-testid="diff-empty">{empty}</div>;
  return (
    <>
    <table className="diff" data-testid="diff-view" data-count={entries.length} data-total={total}>
      <thead>
        <tr>
          <th scope="col">path</th>
          <th scope="col">before</th>
          <th scope="col">after</th>
        </tr>
      </thead>
      <tbody>
        {entries.slice(0, shown).map((e, i) => {
          const path = readablePath(e, root);
          return (
            <tr key={i} className={`diff-row diff-${e.kind}`} data-testid="diff-entry" data-kind={e.kind} data-path={formatPath(e.path)}>
              <th scope="row" className="diff-path" title={path.ids.length ? `id ${path.ids.join(" › ")}` : undefined} data-testid="diff-path">
                <span className={`kind kind-${e.kind}`} aria-label={e.kind}>
                  {e.kind === "added" ? "+" : e.kind === "removed" ? "−" : "~"}
                </span>
                {path.text}
              </th>
              <td className="diff-before">
                <Side value={e.before} present={e.kind !== "added"} />
              </td>
              <td className="diff-after">
                <Side value={e.after} present={e.kind !== "removed"} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
    {total > shown && (
      <button
        type="button"
        className="link small"
        data-testid="diff-more"
        onClick={() => {
          if (shown + SHOWN * 5 > entries.length) onMore?.();
          setShown(shown + SHOWN * 5);
        }}
      >
        show {Math.min(total - shown, SHOWN * 5)} more of {total - shown} changes
      </button>
    )}
    </>
  );
}
