// The embeddings langgraph.json's `store.index.embed` names, resolved from the project as its own
// code would: a provider string ("openai:text-embedding-3-small") builds that provider's LangChain
// embeddings class from the project's own package; a path ("./src/embeddings.ts:embeddings") imports
// the project's export, an Embeddings object or a function from texts to vectors.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseGraphPath } from "../graphs/langgraph-json";
import { importFromProject } from "../graphs/project-import";
import type { EmbeddingsLike } from "./types";

/** Providers as LangChain's `init_embeddings` names them, with the JS package and class of each. */
const PROVIDERS: Record<string, { pkg: string; cls: string }> = {
  openai: { pkg: "@langchain/openai", cls: "OpenAIEmbeddings" },
  azure_openai: { pkg: "@langchain/openai", cls: "AzureOpenAIEmbeddings" },
  cohere: { pkg: "@langchain/cohere", cls: "CohereEmbeddings" },
  mistralai: { pkg: "@langchain/mistralai", cls: "MistralAIEmbeddings" },
  ollama: { pkg: "@langchain/ollama", cls: "OllamaEmbeddings" },
  google_genai: { pkg: "@langchain/google-genai", cls: "GoogleGenerativeAIEmbeddings" },
  google_vertexai: { pkg: "@langchain/google-vertexai", cls: "VertexAIEmbeddings" },
  bedrock: { pkg: "@langchain/aws", cls: "BedrockEmbeddings" },
};

function isEmbeddings(value: unknown): value is EmbeddingsLike {
  const v = value as Partial<EmbeddingsLike> | null;
  return typeof v === "object" && v !== null && typeof v.embedDocuments === "function" && typeof v.embedQuery === "function";
}

/** A function from texts to vectors (as Python's langgraph.json allows) as an Embeddings object. */
function fromFunction(embed: (texts: string[]) => unknown): EmbeddingsLike {
  const call = async (texts: string[]) => (await embed(texts)) as number[][];
  return { embedDocuments: call, embedQuery: async (text) => (await call([text]))[0]! };
}

export async function resolveEmbeddings(embed: string, projectDir: string): Promise<EmbeddingsLike> {
  const anchor = path.join(projectDir, "langgraph.json");
  const colon = embed.indexOf(":");
  const provider = colon > 0 ? embed.slice(0, colon).replace(/-/g, "_") : "";
  const known = PROVIDERS[provider];
  if (known) {
    const model = embed.slice(colon + 1);
    let module: Record<string, unknown>;
    try {
      module = await importFromProject(known.pkg, anchor);
    } catch {
      throw new Error(`store.index.embed "${embed}" needs ${known.pkg} in the project: npm install ${known.pkg}`);
    }
    const Embeddings = module[known.cls] as (new (fields: { model: string }) => unknown) | undefined;
    if (typeof Embeddings !== "function") throw new Error(`${known.pkg} has no ${known.cls} (store.index.embed "${embed}")`);
    const made = new Embeddings({ model });
    if (!isEmbeddings(made)) throw new Error(`${known.cls} of ${known.pkg} is not an Embeddings`);
    return made;
  }
  const { file, exportName } = parseGraphPath(embed);
  const absolute = path.resolve(projectDir, file);
  if (!existsSync(absolute)) {
    throw new Error(
      `store.index.embed "${embed}" is neither a provider (${Object.keys(PROVIDERS).join(", ")}) nor a file of the project (${absolute} does not exist)`,
    );
  }
  const module = await importFromProject(absolute, anchor);
  const value = module[exportName ?? "default"];
  if (isEmbeddings(value)) return value;
  if (typeof value === "function") return fromFunction(value as (texts: string[]) => unknown);
  throw new Error(`store.index.embed "${embed}": the export is not an Embeddings object nor a function from texts to vectors`);
}
