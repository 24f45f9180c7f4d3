// A question the page asks before running a thread that has history but no graph recorded (an imported
// thread): which graph to run it with. The answer is recorded on the thread by the run, so it is asked,
// never taken silently from the picker.
import { create } from "zustand";

interface Question {
  threadId: string;
  resolve(graphId: string | null): void;
}

interface AskGraphState {
  question: Question | null;
}

export const useAskGraph = create<AskGraphState>()(() => ({ question: null }));

export const askGraphSelectors = {
  question: (s: AskGraphState) => s.question,
};

/** Resolves with the chosen graph, or null when the question is dismissed. */
export function askGraph(threadId: string): Promise<string | null> {
  useAskGraph.getState().question?.resolve(null);
  return new Promise((resolve) => {
    useAskGraph.setState({
      question: {
        threadId,
        resolve(graphId) {
          useAskGraph.setState({ question: null });
          resolve(graphId);
        },
      },
    });
  });
}
