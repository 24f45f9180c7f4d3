// The top bar's entry to the Store view; the view refreshes when a run writes to the store.
import { useEffect } from "react";
import { transport } from "../api/engine";
import { selectMemoryCapability, useSource } from "../stores/source";
import { storeViewSelectors, useStoreView } from "../stores/store";
import { StoreView } from "./StoreView";

export function StoreButton() {
  const open = useStoreView(storeViewSelectors.open);
  const show = useStoreView((s) => s.show);
  // An opened checkpoint store has no LangGraph store: the button says why instead.
  // (The state's own object, not a fresh default: a selector must return a stable value.)
  const capability = useSource(selectMemoryCapability);
  const memory = capability ?? { available: true as const };
  useEffect(() => {
    if (!open) return;
    return transport()?.onEvent((event) => {
      if (event.type === "store.write") void useStoreView.getState().refresh();
    });
  }, [open]);
  return (
    <>
      <button
        type="button"
        className="small"
        data-testid="open-store"
        onClick={() => show(true)}
        disabled={!memory.available}
        title={memory.available ? "LangGraph's store: long-term memory shared by every thread" : memory.reason}
      >
        Store
      </button>
      {open && memory.available && <StoreView onClose={() => show(false)} />}
    </>
  );
}
