// A row of tabs over one panel (the checkpoint's parts, the run input's Form / JSON), as the ARIA tabs
// pattern has them: only the selected tab is in the tab order; arrow keys, Home and End move and select.
import type { KeyboardEvent } from "react";

interface Props<T extends string> {
  /** Names the ids: tab `${prefix}-tab-${id}` (also its test id), panel `${prefix}-panel`. */
  prefix: string;
  tabs: readonly (readonly [T, string])[];
  selected: T;
  onSelect: (id: T) => void;
  label?: string;
  labelledBy?: string;
  className?: string;
}

export function SubTabs<T extends string>({ prefix, tabs, selected, onSelect, label, labelledBy, className = "subtabs" }: Props<T>) {
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex(([id]) => id === selected);
    const to = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : null;
    if (to === null || tabs.length === 0) return;
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length]![0];
    onSelect(next);
    document.getElementById(`${prefix}-tab-${next}`)?.focus();
  };
  return (
    <div className={className} role="tablist" aria-label={label} aria-labelledby={labelledBy} onKeyDown={onKey}>
      {tabs.map(([id, text]) => (
        <button
          key={id}
          id={`${prefix}-tab-${id}`}
          type="button"
          role="tab"
          aria-selected={selected === id}
          aria-controls={`${prefix}-panel`}
          tabIndex={selected === id ? 0 : -1}
          data-testid={`${prefix}-tab-${id}`}
          className={selected === id ? "active" : ""}
          onClick={() => onSelect(id)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
