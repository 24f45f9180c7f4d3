// Says which long lists of the shown checkpoint hold only their newest elements, and reads more of them.
import type { ListSlice } from "../../../shared/types";
import { useCheckpoint } from "../stores/checkpoint";

const MORE = 1000;

export function ListSliceNotice({ slices }: { slices: Record<string, ListSlice> }) {
  const showMore = useCheckpoint((s) => s.showMoreItems);
  const loading = useCheckpoint((s) => s.loading);
  const keys = Object.keys(slices);
  if (keys.length === 0) return null;
  const earlier = Math.max(...keys.map((k) => slices[k]!.start));
  return (
    <div className="info-box small" data-testid="list-slices" role="status">
      {keys.map((k) => `${k}: the last ${(slices[k]!.total - slices[k]!.start).toLocaleString()} of ${slices[k]!.total.toLocaleString()}`).join("; ")}.{" "}
      <button type="button" className="link" data-testid="list-more" disabled={loading} onClick={() => void showMore(MORE)}>
        read {Math.min(MORE, earlier).toLocaleString()} earlier
      </button>{" "}
      <button type="button" className="link" data-testid="list-all" disabled={loading} onClick={() => void showMore("all")}>
        read all
      </button>
    </div>
  );
}
