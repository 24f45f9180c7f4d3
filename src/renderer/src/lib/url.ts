// The page's address names the open thread, checkpoint and main tab, so that a reload or a shared link
// lands there.
import type { MainTab } from "../stores/ui";

export interface Place {
  thread: string | null;
  checkpoint: string | null;
  ns: string;
  tab: MainTab | null;
}

const TABS: readonly MainTab[] = ["run", "checkpoint", "diff"];

export function readPlace(): Place {
  const params = new URL(location.href).searchParams;
  const tab = params.get("tab");
  return {
    thread: params.get("thread"),
    checkpoint: params.get("checkpoint"),
    ns: params.get("ns") ?? "",
    tab: TABS.find((t) => t === tab) ?? null,
  };
}

/** Writes the parts given and keeps the rest of the address. */
export function writePlace(place: Partial<Place>): void {
  const url = new URL(location.href);
  const set = (key: string, value: string | null) => (value ? url.searchParams.set(key, value) : url.searchParams.delete(key));
  if ("thread" in place) {
    set("thread", place.thread ?? null);
    set("checkpoint", place.thread ? (place.checkpoint ?? null) : null);
    set("ns", place.thread && place.checkpoint ? (place.ns ?? null) : null);
  }
  if ("tab" in place) set("tab", place.tab ?? null);
  if (url.href !== location.href) history.replaceState(null, "", url);
}
