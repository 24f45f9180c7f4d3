// The source the inspector serves from (`source.info`): what it is and which capabilities it has,
// each missing one with the reason the UI shows where it disables something.
import { create } from "zustand";
import type { Capability, CapabilityState, SourceInfo } from "../../../shared/sources";
import { engine, errorMessage } from "../api/engine";

interface SourceState {
  info: SourceInfo | null;
  error: string | null;
  load(): Promise<void>;
}

export const useSource = create<SourceState>()((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await engine().source.info(), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));

/** The memory (LangGraph Store) capability as the source reported it; undefined until known. */
export const selectMemoryCapability = (state: SourceState): CapabilityState | undefined => state.info?.capabilities.memory;

/** One object for "not known yet": a selector returning a new object on every call makes React re-render forever. */
const UNKNOWN: CapabilityState = { available: true };

/** Whether the open source can do `capability`; until it is known, nothing is refused. */
export const selectCapability =
  (capability: Capability) =>
  (state: SourceState): CapabilityState =>
    state.info?.capabilities[capability] ?? UNKNOWN;
