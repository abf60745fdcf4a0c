// Content negotiation for the precompressed web files on Node (RFC 9110 §12.5.3): the encoding a
// request prefers among those on offer, by q-value, "*" standing for any not named; q=0 refuses.
// Returns undefined for the identity bytes, which are always acceptable enough to send.

/** A qvalue as RFC 9110 §12.4.2 writes it; anything else refuses the coding, rather than guess. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function weights(header: string): Map<string, number> {
  const named = new Map<string, number>();
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='))?.slice(2).trim();
    named.set(coding, q === undefined ? 1 : QVALUE.test(q) ? Number(q) : 0);
  }
  return named;
}

/** `offered` in the server's order of preference (smallest first), which breaks ties. */
export function preferredEncoding<E extends string>(header: string | undefined, offered: readonly E[]): E | undefined {
  if (!header) return undefined;
  const named = weights(header);
  let best: E | undefined;
  let bestQ = 0;
  for (const encoding of offered) {
    const q = named.get(encoding) ?? named.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [encoding, q];
  }
  return best;
}
