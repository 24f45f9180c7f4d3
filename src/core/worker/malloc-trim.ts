// Gives the C heap's free pages back to the system (glibc's malloc_trim). Buffers, zlib's output,
// SQLite's rows and postMessage's copies live in malloc'd memory, and once glibc has seen a large
// block freed it serves blocks up to that size from its per-thread arenas instead of separate
// mappings. Freed, they stay resident: after 50 runs on a thread growing by 100 KB a run, the
// server held about 200 MB of such free pages (488 MB RSS, 290 MB after one malloc_trim), and the
// amount varied from run to run with timing. Only malloc_trim releases free pages inside an arena.
//
// Node has no binding for it, and a native addon would need a compiler at install. SQLite's
// extension loader can call a named function of a shared library, and libc is already loaded:
// loading "libc.so.6" with entry point "malloc_trim" calls malloc_trim(db, &error, api). The first
// argument is malloc_trim's `pad`, which only limits how much of the main arena's top it may cut;
// the extra arguments are ignored under the C calling conventions of the platforms Linux runs on.
// It returns 1 when it released memory, which SQLite reports as a failed initialisation.

import Database from "better-sqlite3";

const LIBC = "libc.so.6";
/** How SQLite words a nonzero return of the entry point (as opposed to a library or symbol it could not find). */
const RELEASED = /error during initialization/;

/** better-sqlite3 takes the entry point as a second argument; its type declarations do not say so. */
interface WithEntryPoint {
  loadExtension(path: string, entryPoint: string): void;
}

let available = process.platform === "linux";

/** Releases free C heap pages of every thread's arena; false where that is not available (not glibc). */
export function trimMalloc(): boolean {
  if (!available) return false;
  // A connection of its own, closed at once: a call that released nothing counts as a loaded
  // extension, which the connection would otherwise keep a handle of until it closes.
  const db = new Database(":memory:");
  try {
    (db as unknown as WithEntryPoint).loadExtension(LIBC, "malloc_trim");
  } catch (error) {
    // musl, or no libc.so.6: nothing to trim with; do not try again.
    if (!RELEASED.test(String(error))) available = false;
  } finally {
    db.close();
  }
  return available;
}
