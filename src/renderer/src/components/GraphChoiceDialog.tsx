// Asks which graph runs a thread that has history but no graph recorded (an imported thread), and says
// that the choice is recorded on the thread.
import { useEffect, useState } from "react";
import { askGraphSelectors, useAskGraph } from "../stores/ask-graph";
import { graphSelectors, useGraphs } from "../stores/graphs";
import { Dialog } from "./Dialog";

export function GraphChoiceDialog() {
  const question = useAskGraph(askGraphSelectors.question);
  const graphs = useGraphs(graphSelectors.graphs);
  const picked = useGraphs(graphSelectors.pickedId);
  const [choice, setChoice] = useState("");
  useEffect(() => setChoice(picked ?? graphs[0]?.id ?? ""), [question, picked, graphs]);
  if (!question) return null;
  return (
    <Dialog title="Which graph runs this thread?" onClose={() => question.resolve(null)} testId="graph-choice-dialog">
      <div className="dialog-body">
        <p className="small">
          Thread <span className="mono">{question.threadId}</span> has checkpoints but no graph recorded (it was imported or written by another app). Pick the graph that
          wrote it; the run records this graph on the thread.
        </p>
        <label className="field">
          <span className="small muted">Graph</span>
          <select data-testid="graph-choice" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {graphs.map((g) => (
              <option key={g.id} value={g.id}>
                {g.title || g.id}
              </option>
            ))}
          </select>
        </label>
      </div>
      <footer>
        <button type="button" onClick={() => question.resolve(null)} data-testid="graph-choice-cancel">
          Cancel
        </button>
        <button type="button" className="primary" disabled={!choice} data-testid="graph-choice-ok" onClick={() => question.resolve(choice)}>
          Run with {choice || "…"}
        </button>
      </footer>
    </Dialog>
  );
}
