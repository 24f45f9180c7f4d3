// A thread's status as a coloured word (the word carries it; the colour only helps).
import type { ThreadInfo } from "../../../shared/types";

export function StatusBadge({ status }: { status: ThreadInfo["status"] }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      {status}
    </span>
  );
}
