// A collapsible tree of an encoded value. Everything is rendered as text (never as HTML); long strings
// and long lists are cut and can be expanded, so a huge state never freezes the page.
import { useState } from "react";
import { tagOf, type JsonValue } from "../../../shared/encoding";
import type { ListSlice } from "../../../shared/types";
import { isObject, preview, tagChildren, tagLabel } from "../lib/values";

const STRING_LIMIT = 300;
const ITEMS_LIMIT = 100;

interface Props {
  value: JsonValue;
  /** Levels open at first. */
  openDepth?: number;
  label?: string;
  testId?: string;
  /** Top-level keys whose list holds only its newest elements: their positions and length as in the whole list. */
  slices?: Record<string, ListSlice> | null;
}

export function JsonTree({ value, openDepth = 1, label, testId = "json-tree", slices }: Props) {
  return (
    <div className="json-tree" data-testid={testId}>
      <Node name={label ?? null} value={value} depth={0} openDepth={openDepth} childSlices={slices ?? undefined} />
    </div>
  );
}

function childrenOf(value: JsonValue): Record<string, JsonValue> | JsonValue[] | null {
  const tagged = tagChildren(value);
  if (tagged) return tagged;
  if (tagOf(value)) return null;
  if (Array.isArray(value) || isObject(value)) return value;
  return null;
}

function Node({
  name,
  value,
  depth,
  openDepth,
  slice,
  childSlices,
}: {
  name: string | null;
  value: JsonValue;
  depth: number;
  openDepth: number;
  slice?: ListSlice;
  childSlices?: Record<string, ListSlice>;
}) {
  const kids = childrenOf(value);
  const [open, setOpen] = useState(depth < openDepth);
  const [limit, setLimit] = useState(ITEMS_LIMIT);
  const keyLabel = name !== null ? <span className="jt-key">{name}: </span> : null;
  if (!kids) {
    return (
      <div className="jt-row" style={{ paddingLeft: depth * 14 }}>
        <span className="jt-toggle-space" />
        {keyLabel}
        <Leaf value={value} />
      </div>
    );
  }
  const base = slice?.start ?? 0;
  const entries: [string, JsonValue][] = Array.isArray(kids) ? kids.map((v, i) => [String(base + i), v]) : Object.entries(kids);
  const tag = tagLabel(value);
  const length = slice ? `${slice.total}, the last ${entries.length} read` : String(entries.length);
  const summary = Array.isArray(kids) ? `${tag ? `${tag} ` : ""}[${length}]` : `${tag ? `${tag} ` : ""}{${entries.length}}`;
  return (
    <div className="jt-node">
      <div className="jt-row" style={{ paddingLeft: depth * 14 }}>
        <button type="button" className="jt-toggle" aria-expanded={open} onClick={() => setOpen(!open)} aria-label={open ? "collapse" : "expand"}>
          {open ? "▾" : "▸"}
        </button>
        {keyLabel}
        <span className={tag ? "jt-tag" : "jt-summary"}>{summary}</span>
        {!open && <span className="jt-preview"> {preview(value, 60)}</span>}
      </div>
      {open && (
        <>
          {entries.slice(0, limit).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} slice={childSlices?.[k]} />
          ))}
          {entries.length > limit && (
            <div className="jt-row" style={{ paddingLeft: (depth + 1) * 14 }}>
              <button type="button" className="link" onClick={() => setLimit(limit + ITEMS_LIMIT * 5)}>
                show {Math.min(ITEMS_LIMIT * 5, entries.length - limit)} more of {entries.length - limit}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

function Leaf({ value }: { value: JsonValue }) {
  const [full, setFull] = useState(false);
  const tag = tagLabel(value);
  if (tag !== null) return <span className="jt-tag">{tag}</span>;
  if (typeof value === "string") {
    const cut = !full && value.length > STRING_LIMIT;
    return (
      <span className="jt-string">
        {JSON.stringify(cut ? value.slice(0, STRING_LIMIT) : value)}
        {cut && (
          <button type="button" className="link" onClick={() => setFull(true)}>
            … {value.length - STRING_LIMIT} more chars
          </button>
        )}
      </span>
    );
  }
  if (Array.isArray(value)) return <span className="jt-summary">[]</span>;
  if (isObject(value)) return <span className="jt-summary">{"{}"}</span>;
  return <span className={`jt-${value === null ? "null" : typeof value}`}>{String(value)}</span>;
}
