import { tool } from "@langchain/core/tools";
import { z } from "zod";

// Deterministic stand-ins for real tools, so the example agent runs offline
// and every run of the same input produces the same tool results.

/** Evaluates + - * / and parentheses over decimal numbers; nothing else. */
export function evaluateArithmetic(expression: string): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let position = 0;

  const peek = () => tokens[position];
  const take = () => tokens[position++];

  function primary(): number {
    const token = take();
    if (token === "(") {
      const value = sum();
      if (take() !== ")") throw new Error(`Missing ")" in "${expression}"`);
      return value;
    }
    if (token === "-") return -primary();
    if (token !== undefined && /^\d/.test(token)) return Number(token);
    throw new Error(`Unexpected ${token === undefined ? "end" : `"${token}"`} in "${expression}"`);
  }

  function product(): number {
    let value = primary();
    while (peek() === "*" || peek() === "/") {
      const operator = take();
      const right = primary();
      value = operator === "*" ? value * right : value / right;
    }
    return value;
  }

  function sum(): number {
    let value = product();
    while (peek() === "+" || peek() === "-") {
      const operator = take();
      const right = product();
      value = operator === "+" ? value + right : value - right;
    }
    return value;
  }

  const value = sum();
  if (position !== tokens.length) throw new Error(`Unexpected "${peek()}" in "${expression}"`);
  return value;
}

export const calculator = tool(
  ({ expression }: { expression: string }) => {
    const value = evaluateArithmetic(expression);
    // Rounded so that 0.1 + 0.2 reads as people expect.
    return String(Math.round(value * 1e10) / 1e10);
  },
  {
    name: "calculator",
    description: "Evaluates an arithmetic expression with + - * / and parentheses.",
    schema: z.object({ expression: z.string().describe("e.g. (12 + 3) * 7") }),
  },
);

const KNOWN_WEATHER: Record<string, { celsius: number; sky: string }> = {
  paris: { celsius: 18, sky: "cloudy" },
  london: { celsius: 14, sky: "drizzling" },
  tokyo: { celsius: 24, sky: "sunny" },
  "new york": { celsius: 21, sky: "clear" },
  sydney: { celsius: 16, sky: "windy" },
};

const SKIES = ["sunny", "cloudy", "rainy", "foggy", "clear", "windy"];

/** Known cities get fixed answers; any other name gets one derived from its letters. */
export function lookUpWeather(city: string): { city: string; celsius: number; sky: string } {
  const key = city.trim().toLowerCase();
  const known = KNOWN_WEATHER[key];
  if (known) return { city: city.trim(), ...known };
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) % 9973;
  return { city: city.trim(), celsius: (hash % 35) - 5, sky: SKIES[hash % SKIES.length] ?? "clear" };
}

export const weather = tool(
  ({ city }: { city: string }) => {
    const report = lookUpWeather(city);
    return `${report.celsius}°C and ${report.sky}`;
  },
  {
    name: "weather",
    description: "Looks up the current weather in a city.",
    schema: z.object({ city: z.string().describe("City name, e.g. Paris") }),
  },
);

export const exampleTools = [calculator, weather];
