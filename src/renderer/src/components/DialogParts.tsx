// The pieces the "open a source" dialogs share: the engine's error, the recently used locations to pick
// from, and the Cancel / OK footer whose OK says it is working while the engine answers.

export function DialogError({ error, testId }: { error: string | null; testId: string }) {
  return error ? (
    <div className="error-box small" data-testid={testId}>
      {error}
    </div>
  ) : null;
}

export function RecentList({ items, testId, onPick }: { items: string[]; testId: string; onPick: (item: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ul className="recent-sources small" data-testid={testId}>
      {items.map((item) => (
        <li key={item}>
          <button type="button" className="link mono" onClick={() => onPick(item)}>
            {item}
          </button>
        </li>
      ))}
    </ul>
  );
}

interface FooterProps {
  onCancel: () => void;
  onOk: () => void;
  okTestId: string;
  /** The OK button's label, and what it says while busy. */
  label: string;
  busyLabel: string;
  busy: boolean;
  disabled: boolean;
}

export function DialogFooter({ onCancel, onOk, okTestId, label, busyLabel, busy, disabled }: FooterProps) {
  return (
    <footer>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="primary" data-testid={okTestId} disabled={disabled || busy} onClick={onOk}>
        {busy ? busyLabel : label}
      </button>
    </footer>
  );
}
