// The page's address names the open thread and checkpoint, so that a reload or a shared link lands there.
export interface Place {
  thread: string | null;
  checkpoint: string | null;
  ns: string;
}

export function readPlace(): Place {
  const params = new URL(location.href).searchParams;
  return { thread: params.get("thread"), checkpoint: params.get("checkpoint"), ns: params.get("ns") ?? "" };
}

export function writePlace(place: Place): void {
  const url = new URL(location.href);
  const set = (key: string, value: string | null) => (value ? url.searchParams.set(key, value) : url.searchParams.delete(key));
  set("thread", place.thread);
  set("checkpoint", place.thread ? place.checkpoint : null);
  set("ns", place.thread && place.checkpoint ? place.ns : null);
  if (url.href !== location.href) history.replaceState(null, "", url);
}
