/** Turns a free-text query into FTS5 terms and candidate entity names. Never throws on junk. */

const STOPWORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my no not ' +
    'of on or our so than that the their them then there these they this to was we were what when where which who why ' +
    'will with would you your about after all also any been before being both each few more most other over same ' +
    'should some such only own too very just tell show find give please know'
  ).split(' '),
);

export const MAX_QUERY_CHARS = 2000;
const MAX_TERMS = 12;
const MAX_NGRAM = 4;

export function queryWords(query: string): string[] {
  return query.slice(0, MAX_QUERY_CHARS).match(/[\p{L}\p{N}][\p{L}\p{N}_'’-]*/gu) ?? [];
}

/** Distinct lowercase terms worth matching: no stopwords, no single letters. */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const word of queryWords(query)) {
    for (const part of word.toLowerCase().split(/[_'’-]+/)) {
      if (part.length < 2 && !/^\d$/.test(part)) continue;
      if (STOPWORDS.has(part) || terms.includes(part)) continue;
      terms.push(part);
      if (terms.length >= MAX_TERMS) return terms;
    }
  }
  return terms;
}

/** An FTS5 MATCH expression (terms OR'ed, or with `every` AND'ed, each quoted), or null when nothing is searchable. */
export function ftsExpression(terms: readonly string[], every = false): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(every ? ' AND ' : ' OR ');
}

/** Every run of one to four consecutive words: the names an entity in the query could have. */
export function queryNgrams(query: string): string[] {
  const words = queryWords(query);
  const grams = new Set<string>();
  for (let start = 0; start < words.length; start++) {
    for (let size = 1; size <= MAX_NGRAM && start + size <= words.length; size++) {
      const gram = words.slice(start, start + size).join(' ');
      if (size === 1 && STOPWORDS.has(gram.toLowerCase())) continue;
      grams.add(gram);
    }
  }
  return [...grams];
}
