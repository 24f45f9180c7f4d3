// The top bar's entry to the Store view; the view refreshes when a run writes to the store.
import { useEffect } from "react";
import { transport } from "../api/engine";
import { useStoreView } from "../stores/store";
import { StoreView } from "./StoreView";

export function StoreButton() {
  const open = useStoreView((s) => s.open);
  const show = useStoreView((s) => s.show);
  useEffect(() => {
    if (!open) return;
    return transport()?.onEvent((event) => {
      if (event.type === "store.write") void useStoreView.getState().refresh();
    });
  }, [open]);
  return (
    <>
      <button type="button" className="small" data-testid="open-store" onClick={() => show(true)} title="LangGraph's store: long-term memory shared by every thread">
        Store
      </button>
      {open && <StoreView onClose={() => show(false)} />}
    </>
  );
}
