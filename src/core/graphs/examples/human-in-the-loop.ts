import { fileURLToPath } from "node:url";
import { Annotation, Command, END, START, StateGraph, interrupt } from "@langchain/langgraph";
import { checkoutFile } from "../checkout-file";

// Drafts an action, then pauses for a person to approve, reject or edit it.
// An edit goes back to review, so one thread can hold several interrupts.

export const HumanInTheLoopState = Annotation.Root({
  request: Annotation<string>,
  draft: Annotation<string>,
  outcome: Annotation<"sent" | "cancelled" | undefined>,
  log: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
});

type State = typeof HumanInTheLoopState.State;

export interface ReviewRequest {
  question: string;
  draft: string;
  choices: string[];
}

export type ReviewAnswer =
  | "approve"
  | "reject"
  | { action: "approve" | "reject" }
  | { action: "edit"; draft: string };

/** Accepts the documented answers and nothing else, with a message that says what is expected. */
export function parseReviewAnswer(answer: unknown): { action: "approve" | "reject" } | { action: "edit"; draft: string } {
  const value = typeof answer === "string" ? { action: answer } : answer;
  if (typeof value === "object" && value !== null && "action" in value) {
    const { action } = value as { action: unknown };
    if (action === "approve" || action === "reject") return { action };
    if (action === "edit") {
      const draft = (value as { draft?: unknown }).draft;
      if (typeof draft === "string" && draft.trim() !== "") return { action, draft };
      throw new Error('An "edit" answer needs a non-empty "draft" string, e.g. {"action": "edit", "draft": "..."}');
    }
  }
  throw new Error(
    `Expected "approve", "reject" or {"action": "edit", "draft": "..."} as the resume value, got ${JSON.stringify(answer)}`,
  );
}

function draftEmail(state: State) {
  const request = state.request?.trim() || "tell the team the release is ready";
  const draft = `Email to team@example.com: "Hi all, ${request}."`;
  return { draft, log: [`drafted: ${draft}`] };
}

function review(state: State) {
  const answer = parseReviewAnswer(
    interrupt<ReviewRequest, unknown>({
      question: "Send this email?",
      draft: state.draft,
      choices: ["approve", "reject", "edit"],
    }),
  );
  if (answer.action === "edit") {
    return new Command({ goto: "review", update: { draft: answer.draft, log: [`edited: ${answer.draft}`] } });
  }
  if (answer.action === "approve") return new Command({ goto: "send", update: { log: ["approved"] } });
  return new Command({ goto: "cancel", update: { log: ["rejected"] } });
}

function send(state: State) {
  return { outcome: "sent" as const, log: [`sent: ${state.draft}`] };
}

function cancel() {
  return { outcome: "cancelled" as const, log: ["cancelled: nothing was sent"] };
}

export function buildHumanInTheLoop() {
  return new StateGraph(HumanInTheLoopState)
    .addNode("draft_email", draftEmail)
    .addNode("review", review, { ends: ["review", "send", "cancel"] })
    .addNode("send", send)
    .addNode("cancel", cancel)
    .addEdge(START, "draft_email")
    .addEdge("draft_email", "review")
    .addEdge("send", END)
    .addEdge("cancel", END);
}

export const humanInTheLoopExample = {
  id: "human-in-the-loop",
  title: "Human in the loop",
  description:
    "Drafts an email and pauses with interrupt() for approval. Resume with \"approve\", \"reject\", or " +
    '{"action": "edit", "draft": "..."} (an edit asks again).',
  sampleInput: { request: "the 2.0 release is ready for testing" },
  // This very file, where it exists as source (a checkout; not the built app's bundle, nor the engine
  // worker's source bundle, whose URL is its own).
  typeSource: import.meta.url.endsWith(".ts") ? fileURLToPath(import.meta.url) : (checkoutFile("src/core/graphs/examples/human-in-the-loop.ts", import.meta.url) ?? undefined),
  build: () => buildHumanInTheLoop(),
};
