// Issue #19: servers are written by people, and people misspell. The corpus's real replies say "recipent", "adress",
// "exsist", "Reciepient", "acount", "unknow"; the typo audit (bench/classify-audit.ts) found that one such slip in a
// word of evidence took the proof from half of the development INVALID replies. Rather than list each misspelling
// in each phrase, the classifier reads a misspelt word of evidence as the word meant, before any rule sees it.

/**
 * The words whose misspelling would change a verdict: the recipient's nouns and states, and the nouns that say a
 * reply is about us or the server (so that "sedner address unknown" stays about the sender, never the recipient).
 */
const WORDS_OF_EVIDENCE = [
  'unknown',
  'recipient',
  'recipients',
  'mailbox',
  'mailboxes',
  'address',
  'addresses',
  'addressee',
  'account',
  'accounts',
  'exist',
  'exists',
  'existent',
  'nonexistent',
  'unavailable',
  'disabled',
  'deactivated',
  'suspended',
  'inactive',
  'invalid',
  'sender',
  'domain',
  'server',
  'client',
] as const;

/**
 * Every slip that is itself an English word (by the word list spelling.test.ts checks it against), other than a word
 * of evidence: never read as another word.
 */
export const REAL_WORDS: ReadonlySet<string> = new Set([
  'exit',
  'exits',
  'addressed',
  'addressees',
  'addressers',
  'disable',
  'disables',
  'deactivate',
  'suspender',
  'invalids',
  'invalided',
  'senders',
  'sander',
  'sonder',
  'sunder',
  'seder',
  'seeder',
  'domains',
  'demain',
  'servers',
  'sever',
  'serer',
  'serve',
  'clients',
  'clint',
]);

// A slip keeps the word's first letter, and changes one letter inside it: one letter dropped (the last one too:
// "unknow"), two neighbours swapped, a letter put in or one written for another. The letters put in or written
// instead are the word's own and the vowels, as slips are; never one added at the end, where other languages' words
// differ from English ones ("existe", "invalide", "recipiente").
const SLIP_LETTERS = 'aeiouy';

function slipsOf(word: string): Set<string> {
  const slips = new Set<string>();
  const letters = new Set([...SLIP_LETTERS, ...word]);
  for (let at = 1; at < word.length; at += 1) {
    slips.add(word.slice(0, at) + word.slice(at + 1));
    if (at < word.length - 1)
      slips.add(word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2));
    for (const letter of letters) {
      slips.add(word.slice(0, at) + letter + word.slice(at));
      if (at < word.length - 1) slips.add(word.slice(0, at) + letter + word.slice(at + 1));
    }
  }
  slips.delete(word);
  return slips;
}

/**
 * Each slip of a word of evidence, and the word it stands for (a slip two words share stands for neither); never an
 * English word, nor another word of evidence.
 */
export const SLIPS: ReadonlyMap<string, string> = (() => {
  const evidence: ReadonlySet<string> = new Set(WORDS_OF_EVIDENCE);
  const meant = new Map<string, string | null>();
  for (const word of WORDS_OF_EVIDENCE) {
    for (const slip of slipsOf(word)) {
      if (REAL_WORDS.has(slip) || evidence.has(slip)) continue;
      const other = meant.get(slip);
      meant.set(slip, other === undefined || other === word ? word : null);
    }
  }
  return new Map([...meant].filter((entry): entry is [string, string] => entry[1] !== null));
})();

const LATIN_WORD = /(?<![\p{L}\p{N}_'-])[a-z]{4,13}(?![\p{L}\p{N}_-])/giu;

/** The words with each misspelt word of evidence written as meant, in the slip's own case. */
export function withSlipsRead(wording: string): string {
  return wording.replace(LATIN_WORD, (word) => {
    const meant = SLIPS.get(word.toLowerCase());
    if (meant === undefined) return word;
    if (word === word.toUpperCase()) return meant.toUpperCase();
    return word.charAt(0) === word.charAt(0).toUpperCase()
      ? meant.charAt(0).toUpperCase() + meant.slice(1)
      : meant;
  });
}
