// A deterministic embeddings function for the store's tests: each word has its own pseudo-random
// vector (seeded by the word), and a text is the sum of its words' vectors. Distinct texts then
// score distinctly against a query (no accidental ties), and the words are summed in sorted order
// so the same words in another order give the very same vector.
import type { EmbeddingsLike } from "./types";

export const TEST_DIMS = 16;

function wordVector(word: string): number[] {
  let state = 2166136261;
  for (const char of word) state = Math.imul(state ^ char.charCodeAt(0), 16777619) >>> 0;
  return Array.from({ length: TEST_DIMS }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.25;
  });
}

export function embedText(text: string): number[] {
  const vector = new Array<number>(TEST_DIMS).fill(0);
  vector[0] = 0.5;
  const words = text.toLowerCase().split(/\W+/).filter(Boolean).sort();
  for (const word of words) wordVector(word).forEach((x, i) => (vector[i]! += x));
  return vector;
}

export function testEmbeddings(): EmbeddingsLike & { calls: number } {
  const embeddings = {
    calls: 0,
    async embedDocuments(texts: string[]) {
      embeddings.calls++;
      return texts.map(embedText);
    },
    async embedQuery(text: string) {
      embeddings.calls++;
      return embedText(text);
    },
  };
  return embeddings;
}
