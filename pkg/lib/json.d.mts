/** `JSON.stringify(value, null, indent)`, writing `BigInt`s as exact JSON numbers instead of throwing. */
export function stringifyJson(value: unknown, indent?: string | number): string;
