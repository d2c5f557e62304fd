// JSON values as tooldraft's API gives and takes them (declared by hand: the one type the Rust
// types cannot describe, see src/typescript.rs). An integer beyond ±(2^53 − 1) in a document
// or a tool's response is a `BigInt` holding it exactly (`parseJson`, `stringifyJson`).

export type JsonPrimitive = string | number | bigint | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject {
  [key: string]: JsonValue;
}
